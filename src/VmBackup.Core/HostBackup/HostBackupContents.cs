namespace VmBackup.Core.HostBackup;

/// <summary>What a control domain backup holds (<see cref="HostBackupArchive"/>).</summary>
/// <param name="InstallationUuid">The host uuid of <c>etc/xensource-inventory</c>'s <c>INSTALLATION_UUID</c>, or empty.</param>
/// <param name="ProductVersion">The inventory's <c>PRODUCT_VERSION</c>, or empty.</param>
/// <param name="Entries">Number of archive entries.</param>
/// <param name="HasPoolDatabase">True when the archive holds a <c>var/backup/pool-database-*</c> dump.</param>
public sealed record HostBackupContents(string InstallationUuid, string ProductVersion, int Entries, bool HasPoolDatabase);
