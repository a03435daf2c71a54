namespace VmBackup.Xapi.Transfers;

/// <summary>Body format of <c>/import_raw_vdi</c> (<c>format=</c>).</summary>
public enum VdiImportFormat
{
    /// <summary>A raw image that overwrites the VDI from offset 0.</summary>
    Raw,

    /// <summary>A VHD; only the blocks it contains are written (how a differencing export is applied).</summary>
    Vhd,
}
