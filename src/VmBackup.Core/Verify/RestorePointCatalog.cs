using VmBackup.Repository.Nau;

namespace VmBackup.Core.Verify;

/// <summary>Lists the restore points under a NAUbackup <c>backup_dir</c> with their verification state.</summary>
public static class RestorePointCatalog
{
    /// <summary>
    /// Every restore point of every VM folder (ordinal VM order, oldest first), or of the VM folder
    /// <paramref name="vmFolderName"/> only. The data files are not read: the state comes from each folder's
    /// <c>verified</c> file (<see cref="VerificationRecord.StateFor"/>).
    /// </summary>
    public static IReadOnlyList<RestorePointStatus> List(NauBackupRoot root, string? vmFolderName)
    {
        ArgumentNullException.ThrowIfNull(root);
        var names = vmFolderName is null ? root.ListVmFolderNames() : [vmFolderName];
        var result = new List<RestorePointStatus>();
        foreach (var name in names)
        {
            foreach (var point in root.VmFolder(name).ListRestorePoints())
            {
                var record = VerificationRecord.TryRead(point.Path);
                result.Add(new RestorePointStatus(name, point, record?.StateFor(point) ?? VerificationState.Never, record));
            }
        }

        return result;
    }
}
