namespace VmBackup.Core.Nau.Run;

/// <summary>The status-log <c>end</c> details of failed VMs, exactly as v3.25 writes them (section 8).</summary>
public static class NauStatusDetail
{
    /// <summary><c>ERROR verify_vm_name &lt;vm&gt;</c>: duplicate or missing name.</summary>
    public static string VerifyVmName(string vm) => "ERROR verify_vm_name " + vm;

    /// <summary><c>ERROR xvda-uuid not found &lt;vm&gt;</c> (vdi-export: no disk with device xvda).</summary>
    public static string XvdaUuidNotFound(string vm) => "ERROR xvda-uuid not found " + vm;

    /// <summary><c>ERROR xvda-name-label not found &lt;vm&gt;</c> (vdi-export).</summary>
    public static string XvdaNameLabelNotFound(string vm) => "ERROR xvda-name-label not found " + vm;

    /// <summary><c>VDI-LIST-FAIL &lt;vm&gt;</c>.</summary>
    public static string VdiListFail(string vm) => "VDI-LIST-FAIL " + vm;

    /// <summary><c>VDI-SNAPSHOT-FAIL &lt;vm&gt;</c>.</summary>
    public static string VdiSnapshotFail(string vm) => "VDI-SNAPSHOT-FAIL " + vm;

    /// <summary><c>VDI-PARAM-SET-FAIL &lt;vm&gt;</c>.</summary>
    public static string VdiParamSetFail(string vm) => "VDI-PARAM-SET-FAIL " + vm;

    /// <summary><c>VDI-EXPORT-FAIL &lt;vm&gt;</c>.</summary>
    public static string VdiExportFail(string vm) => "VDI-EXPORT-FAIL " + vm;

    /// <summary><c>ERROR vm-uuid not found &lt;vm&gt;</c> (vm-export).</summary>
    public static string VmUuidNotFound(string vm) => "ERROR vm-uuid not found " + vm;

    /// <summary><c>VM-UNINSTALL-FAIL-1 &lt;vm&gt;</c>: the old snapshot could not be removed (v3.25 writes it as an extra end record).</summary>
    public static string VmUninstallFail1(string vm) => "VM-UNINSTALL-FAIL-1 " + vm;

    /// <summary><c>SNAPSHOT-FAIL &lt;vm&gt;</c>.</summary>
    public static string SnapshotFail(string vm) => "SNAPSHOT-FAIL " + vm;

    /// <summary><c>TEMPLATE-PARAM-SET-FAIL &lt;vm&gt;</c>.</summary>
    public static string TemplateParamSetFail(string vm) => "TEMPLATE-PARAM-SET-FAIL " + vm;

    /// <summary><c>VM-EXPORT-FAIL &lt;vm&gt;</c>.</summary>
    public static string VmExportFail(string vm) => "VM-EXPORT-FAIL " + vm;

    /// <summary>
    /// <c>BACKUP-DIR-FAIL &lt;vm&gt;</c>: the VM's backup folder could not be prepared (VmBackup; v3.25 aborted the whole run
    /// with a traceback there).
    /// </summary>
    public static string BackupDirFail(string vm) => "BACKUP-DIR-FAIL " + vm;

    /// <summary><c>ERROR-INTERNAL &lt;vm&gt;</c>: an unexpected error (VmBackup counts it for that VM and goes on).</summary>
    public static string Internal(string vm) => "ERROR-INTERNAL " + vm;
}
