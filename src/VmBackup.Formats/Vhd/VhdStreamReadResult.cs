namespace VmBackup.Formats.Vhd;

/// <summary>Result of <see cref="VhdStreamReader.ReadAsync"/>.</summary>
/// <param name="Footer">The footer (validated against the copy at offset 0).</param>
/// <param name="Header">The dynamic header.</param>
/// <param name="Bat">The BAT.</param>
/// <param name="BytesWritten">Disk bytes written to the sink.</param>
public sealed record VhdStreamReadResult(VhdFooter Footer, VhdHeader Header, IReadOnlyList<uint> Bat, long BytesWritten);
