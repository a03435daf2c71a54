using VmBackup.TestKit;
using VmBackup.Xapi;

namespace VmBackup.Core.Tests.Metadata;

/// <summary>Pool files for the metadata tests: pool A, and pool B that sees the same SR and disks (same uuids).</summary>
internal static class MetadataPools
{
    public const string SrUuid = "5c0e9a6a-1b2c-4d3e-8f40-0a1b2c3d4e01";
    public const string AppUuid = "11111111-2222-4333-8444-555555555501";
    public const string DbUuid = "11111111-2222-4333-8444-555555555502";
    public const string TemplateUuid = "11111111-2222-4333-8444-555555555503";
    public const string AppDisk0 = "aaaaaaaa-0000-4000-8000-000000000001";
    public const string AppDisk1 = "aaaaaaaa-0000-4000-8000-000000000002";
    public const string DbDisk0 = "aaaaaaaa-0000-4000-8000-000000000003";
    public const string LostDisk = "aaaaaaaa-0000-4000-8000-000000000004";

    private const string Networks = """
        "networks": [{"name_label": "net0", "bridge": "xenbr0"}, {"name_label": "net1", "bridge": "xenbr1"}],
        """;

    private const string Sr = $$"""
        "srs": [{"name_label": "NFS shared", "type": "nfs", "size": "100GiB", "shared": true, "default": true, "uuid": "{{SrUuid}}"}],
        """;

    /// <summary>Pool A: VMs app (2 disks, 2 VIFs, 2 GiB, 2 vCPUs), db, lost (its disk is not in pool B), a custom template; stock templates off.</summary>
    public static string PoolA => $$"""
        {
          "pool": {"name_label": "pool-a"}, "default_templates": false,
          {{Sr}}
          {{Networks}}
          "vms": [
            {"name_label": "app", "uuid": "{{AppUuid}}", "memory": "2GiB", "vcpus": 2,
             "disks": [{"device": "xvda", "size": "8MiB", "uuid": "{{AppDisk0}}", "name_label": "app root"},
                       {"device": "xvdb", "size": "4MiB", "uuid": "{{AppDisk1}}", "name_label": "app data"}],
             "vifs": [{"device": "0"}, {"device": "1", "network": "net1"}]},
            {"name_label": "db", "uuid": "{{DbUuid}}", "memory": "1GiB",
             "disks": [{"device": "xvda", "size": "4MiB", "uuid": "{{DbDisk0}}"}], "vifs": [{"device": "0"}]},
            {"name_label": "tmpl", "uuid": "{{TemplateUuid}}", "is_a_template": true},
            {"name_label": "lost", "disks": [{"device": "xvda", "size": "4MiB", "uuid": "{{LostDisk}}"}]}
          ]
        }
        """;

    /// <summary>
    /// Pool B: the same SR and disk uuids (the disks start attached to holder VMs, which <see cref="DropHoldersAsync"/>
    /// destroys, leaving the disks), and a VM 'db-here' that has db's uuid: a conflict.
    /// </summary>
    public static string PoolB => $$"""
        {
          "pool": {"name_label": "pool-b"}, "default_templates": false,
          {{Sr}}
          {{Networks}}
          "vms": [
            {"name_label": "holder", "disks": [{"device": "xvda", "size": "8MiB", "uuid": "{{AppDisk0}}", "name_label": "renamed"},
                                               {"device": "xvdb", "size": "4MiB", "uuid": "{{AppDisk1}}"}]},
            {"name_label": "db-here", "uuid": "{{DbUuid}}", "memory": "3GiB",
             "disks": [{"device": "xvda", "size": "4MiB", "uuid": "{{DbDisk0}}"}]}
          ]
        }
        """;

    public static async Task<XenApiSession> ConnectAsync(SimulatorFixture sim) =>
        await XenApiSession.ConnectAsync(sim.HttpUri, sim.Credentials.User, sim.Credentials.Password, null, CancellationToken.None);

    /// <summary>Destroys pool B's holder VM (VM.destroy keeps the VDIs).</summary>
    public static async Task DropHoldersAsync(XenApiSession session)
    {
        foreach (var vm in await session.Vm.GetByNameLabelAsync("holder", CancellationToken.None))
        {
            foreach (var vbd in await session.Vm.GetVbdsAsync(vm, CancellationToken.None))
            {
                await session.Vbd.DestroyAsync(vbd, CancellationToken.None);
            }

            await session.Vm.DestroyAsync(vm, CancellationToken.None);
        }
    }
}
