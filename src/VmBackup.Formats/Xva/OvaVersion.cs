namespace VmBackup.Formats.Xva;

/// <summary>The <c>version</c> struct of ova.xml (§4.4). Import requires xapi major.minor ≤ the importer's.</summary>
public sealed record OvaVersion(
    string Hostname,
    string Date,
    string ProductVersion,
    string ProductBrand,
    string BuildNumber,
    long XapiMajor,
    long XapiMinor,
    long ExportVsn = 2);
