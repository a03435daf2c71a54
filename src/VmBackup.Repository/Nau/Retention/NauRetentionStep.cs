namespace VmBackup.Repository.Nau.Retention;

/// <summary>One step of a retention plan: a console message, then optionally the deletion of a backup folder.</summary>
/// <param name="Message">The message, exactly as v3.25 logs it (trailing spaces are significant).</param>
/// <param name="DeleteFolder">The backup folder (name inside the VM folder) to delete after logging, or null.</param>
public sealed record NauRetentionStep(string Message, string? DeleteFolder = null);
