namespace VmBackup.Formats.Vhd;

/// <summary>The parent a differencing VHD refers to (§5.4).</summary>
/// <param name="UniqueId">Footer unique id of the parent VHD file.</param>
/// <param name="Timestamp">Parent modification time, seconds since 2000-01-01 UTC.</param>
/// <param name="Path">Parent path; stored as the unicode name and in the MacX locator's length.</param>
public sealed record VhdParent(Guid UniqueId, uint Timestamp, string Path);
