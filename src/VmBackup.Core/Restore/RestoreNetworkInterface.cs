namespace VmBackup.Core.Restore;

/// <summary>One network interface of a backup (<c>VIFs/vif-N.cfg</c>).</summary>
/// <param name="Device">VIF <c>device</c>.</param>
/// <param name="NetworkNameLabel">The name of the network it was on.</param>
/// <param name="Mtu">VIF <c>MTU</c>.</param>
/// <param name="Mac">VIF <c>MAC</c>.</param>
public sealed record RestoreNetworkInterface(string Device, string NetworkNameLabel, long Mtu, string Mac);
