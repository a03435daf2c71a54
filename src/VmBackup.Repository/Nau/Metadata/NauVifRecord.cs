namespace VmBackup.Repository.Nau.Metadata;

/// <summary>The VIF fields v3.25 writes to <c>VIFs/vif-&lt;device&gt;.cfg</c>.</summary>
/// <param name="Device">VIF <c>device</c> (e.g. <c>0</c>).</param>
/// <param name="NetworkNameLabel">The <c>name_label</c> of the VIF's network.</param>
/// <param name="Mtu">VIF <c>MTU</c>.</param>
/// <param name="Mac">VIF <c>MAC</c>.</param>
/// <param name="OtherConfig">VIF <c>other_config</c>, in the order XAPI sent it (the order decides the Python 2 dict order).</param>
/// <param name="Uuid">The VIF uuid (<c>orig_uuid</c>).</param>
public sealed record NauVifRecord(
    string Device,
    string NetworkNameLabel,
    long Mtu,
    string Mac,
    IReadOnlyList<KeyValuePair<string, string>> OtherConfig,
    string Uuid);
