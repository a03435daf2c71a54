namespace VmBackup.Core.Nau.CommandLine;

/// <summary>How the second positional argument is used.</summary>
public enum NauTargetKind
{
    /// <summary>It names an existing path: a config file ("config mode").</summary>
    ConfigFile,

    /// <summary>It is a vm-selector ("CLI mode"): <c>name</c>, <c>regex</c>, <c>vm-export=sel</c> or <c>vdi-export=sel</c>.</summary>
    VmSelector,
}
