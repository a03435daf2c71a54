namespace VmBackup.Core.Nau.CommandLine;

/// <summary>The <c>compress=</c> setting; applies to vm-export only, as in v3.25.</summary>
public enum NauCompression
{
    /// <summary><c>compress=False</c> (or any value other than true/zstd): plain <c>.xva</c>.</summary>
    False,

    /// <summary><c>compress=True</c>: gzip, <c>.xva.gz</c> (v3.25).</summary>
    True,

    /// <summary><c>compress=zstd</c>: VmBackup extension (NAUbackup issue #95).</summary>
    Zstd,
}
