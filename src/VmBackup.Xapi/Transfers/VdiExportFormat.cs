namespace VmBackup.Xapi.Transfers;

/// <summary>Body format of <c>/export_raw_vdi</c> (<c>format=</c>).</summary>
public enum VdiExportFormat
{
    /// <summary>The raw disk image, full virtual size.</summary>
    Raw,

    /// <summary>A dynamic VHD; with a base VDI, a differencing VHD holding only the changed blocks.</summary>
    Vhd,

    /// <summary>XVA disk layout: <c>vdi/%08d</c> chunks plus checksum entries, no <c>ova.xml</c>.</summary>
    Tar,
}
