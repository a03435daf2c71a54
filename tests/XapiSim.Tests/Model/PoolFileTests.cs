using XapiSim.PoolFile;

namespace XapiSim.Tests.Model;

public sealed class PoolFileTests
{
    [Theory]
    [InlineData("""{"vms":[{"name_label":"a"},{"name_label":"b"},{"name_label":"c","disks":[{"sr":"Fast"}]}]}""", "vms[2].disks[0].sr: no SR named \"Fast\"")]
    [InlineData("""{"vms":[{"name_label":"a","colour":"red"}]}""", "vms[0].colour: unknown key")]
    [InlineData("""{"bogus":1}""", "bogus: unknown key")]
    [InlineData("""{"srs":[{"name_label":"x","size":"12XB"}]}""", "srs[0].size: invalid size \"12XB\" (use bytes or e.g. \"2GiB\", \"512MiB\")")]
    [InlineData("""{"vms":[{"name_label":"a","power_state":"On"}]}""", "vms[0].power_state: expected one of Halted, Running, Paused, Suspended, not \"On\"")]
    [InlineData("""{"vms":[{"name_label":"s","snapshot_of":"nope"}]}""", "vms[0].snapshot_of: no VM named \"nope\"")]
    [InlineData("""{"vms":[{"name_label":"a","vifs":[{"network":"n"}]}]}""", "vms[0].vifs[0].network: no network named \"n\"")]
    [InlineData("""{"hosts":[{"name_label":"a","master":true},{"name_label":"b","master":true}]}""", "hosts[1].master: more than one master")]
    [InlineData("""{"srs":[{"name_label":"a"},{"name_label":"a"}]}""", "srs[1].name_label: duplicate SR name \"a\"")]
    [InlineData("""{"vms":[{"name_label":"a","disks":[{"fill":2}]}]}""", "vms[0].disks[0].fill: must be between 0 and 1")]
    [InlineData("""{"vms":[{"name_label":"a","uuid":"xyz"}]}""", "vms[0].uuid: invalid uuid \"xyz\"")]
    [InlineData("""{"vms":[{"name_label":"a","vcpus":"2"}]}""", "vms[0].vcpus: expected an integer")]
    [InlineData("""{"vms":[{"name_label":"a","is_a_template":true,"power_state":"Running"}]}""", "vms[0].power_state: a template must be Halted")]
    [InlineData("""{"vms":[{"name_label":"a","cd":"missing.iso"}]}""", "vms[0].cd: no ISO named \"missing.iso\" in any ISO SR")]
    [InlineData("""{"hosts":[]}""", "hosts: at least one host is needed")]
    [InlineData("""{"hosts":[{"hostname":"x"}]}""", "hosts[0].name_label: missing")]
    [InlineData("""{"hosts":[{"name_label":"a","address":"nope"}]}""", "hosts[0].address: not an IP address: \"nope\"")]
    [InlineData("""{"srs":[{"name_label":"a","default":true},{"name_label":"b","default":true}]}""", "srs[1].default: more than one default SR")]
    [InlineData("""{"srs":[{"name_label":"a","host":"zz"}]}""", "srs[0].host: no host named \"zz\"")]
    [InlineData("""{"srs":[{"name_label":"a","isos":["x.iso"]}]}""", "srs[0].isos: only an SR of type \"iso\" holds ISO images")]
    [InlineData("""{"srs":[{"name_label":"a","type":"iso","default":true}]}""", "srs[0].default: an ISO SR cannot be the default SR")]
    [InlineData("""{"networks":[{"name_label":"n"},{"name_label":"n"}]}""", "networks[1].name_label: duplicate network name \"n\"")]
    [InlineData("""{"vms":[{"name_label":"a","host":"zz"}]}""", "vms[0].host: no host named \"zz\"")]
    [InlineData("""{"vms":[{"name_label":"a"},{"name_label":"a"},{"name_label":"s","snapshot_of":"a"}]}""", "vms[2].snapshot_of: more than one VM named \"a\"")]
    [InlineData("""{"vms":[{"name_label":"t","is_a_template":true},{"name_label":"s","snapshot_of":"t"}]}""", "vms[1].snapshot_of: \"t\" is a template")]
    [InlineData("""{"vms":[{"name_label":"a"},{"name_label":"s","snapshot_of":"a","disks":[{}]}]}""", "vms[1].snapshot_of: a snapshot takes its devices from its VM; remove disks, vifs and cd")]
    [InlineData("""{"vms":[{"name_label":"a","disks":[{"device":"xvda"},{"device":"xvda"}]}]}""", "vms[0].disks[1].device: device xvda is used twice")]
    [InlineData("""{"vms":[{"name_label":"a","disks":[{"device":"disk0"}]}]}""", "vms[0].disks[0].device: expected a device name like xvda, not \"disk0\"")]
    [InlineData("""{"srs":[{"name_label":"i","type":"iso"}],"vms":[{"name_label":"a","disks":[{"sr":"i"}]}]}""", "vms[0].disks[0].sr: \"i\" is an ISO SR")]
    [InlineData("""{"srs":[],"vms":[{"name_label":"a","disks":[{}]}]}""", "vms[0].disks[0].sr: no SR to put the disk on")]
    [InlineData("""{"vms":[{"name_label":"a","uuid":"22222222-2222-2222-2222-222222222222"},{"name_label":"b","uuid":"22222222-2222-2222-2222-222222222222"}]}""", "vms[1].uuid: uuid 22222222-2222-2222-2222-222222222222 is used twice")]
    [InlineData("""{"vms":[{"name_label":"a","vcpus":0}]}""", "vms[0].vcpus: must be at least 1")]
    [InlineData("""{"vms":[{"name_label":"a","cd":3}]}""", "vms[0].cd: expected true, false or an ISO name")]
    [InlineData("""{"vms":[{"name_label":"a","tags":"prod"}]}""", "vms[0].tags: expected an array of strings")]
    [InlineData("""{"users":{"root":1}}""", "users.root: expected a string")]
    [InlineData("""{"vms":{}}""", "vms: expected an array")]
    [InlineData("""{"pool":[]}""", "pool: expected an object")]
    [InlineData("""{"vms":[{"name_label":"a","appliance":"shop"}]}""", "vms[0].appliance: no appliance named \"shop\" in appliances")]
    [InlineData("""{"appliances":[{"name_label":"shop"}],"vms":[{"name_label":"t","is_a_template":true,"appliance":"shop"}]}""", "vms[0].appliance: only a VM (not a template or snapshot) can belong to an appliance")]
    [InlineData("""{"appliances":[{"name_label":"shop"},{"name_label":"shop"}]}""", "appliances[1].name_label: another appliance is named \"shop\"")]
    [InlineData("""{"vms":[{"name_label":"a","order":-1}]}""", "vms[0].order: must be 0 or more")]
    [InlineData("""{"appliances":[{"name_label":"shop","vms":[]}]}""", "appliances[0].vms: unknown key")]
    public void Invalid_pool_files_name_the_offending_entry(string json, string message)
        => Should.Throw<PoolFileException>(() => PoolFileParser.Parse(json)).Message.ShouldBe(message);

    [Theory]
    [InlineData("500GiB", 500L << 30)]
    [InlineData("2 GiB", 2L << 30)]
    [InlineData("512MiB", 512L << 20)]
    [InlineData("1TiB", 1L << 40)]
    [InlineData("1048576", 1048576L)]
    [InlineData("1.5GiB", 3L << 29)]
    public void Sizes_accept_binary_units(string text, long bytes) => SizeParser.TryParse(text).ShouldBe(bytes);

    [Fact]
    public void Invalid_json_is_reported_as_such()
        => Should.Throw<PoolFileException>(() => PoolFileParser.Parse("{")).Message.ShouldStartWith("invalid JSON: ");

    [Fact]
    public void Defaults_fill_an_empty_file()
    {
        var pool = PoolFileParser.Parse("{}");
        pool.Hosts.Single().NameLabel.ShouldBe("xs1");
        pool.Users["root"].ShouldBe("secret");
        pool.Srs.Single().Default.ShouldBeTrue();
        pool.Networks.Single().Bridge.ShouldBe("xenbr0");
    }

    [Fact]
    public async Task Fixed_uuids_are_kept()
    {
        const string json = """
            {"pool":{"uuid":"11111111-1111-1111-1111-111111111111"},
             "vms":[{"name_label":"a","uuid":"22222222-2222-2222-2222-222222222222","disks":[{"uuid":"33333333-3333-3333-3333-333333333333"}]},
                    {"name_label":"snap","snapshot_of":"a","uuid":"44444444-4444-4444-4444-444444444444"}]}
            """;
        await using var h = ModelHarness.Create(json);
        h.Db.FindByUuid("pool", "11111111-1111-1111-1111-111111111111").ShouldNotBeNull();
        h.Db.FindByUuid("VM", "22222222-2222-2222-2222-222222222222").ShouldBe(h.Vm("a"));
        h.Db.FindByUuid("VDI", "33333333-3333-3333-3333-333333333333").ShouldNotBeNull();
        h.Db.FindByUuid("VM", "44444444-4444-4444-4444-444444444444").ShouldBe(h.Vm("snap"));
    }

    [Fact]
    public async Task Faults_section_arms_knobs_and_default_templates_can_be_turned_off()
    {
        const string json = """
            {"default_templates": false,
             "faults": {"call_delay_ms": 1, "session_lifetime_seconds": 60, "auth_failure_delay_ms": 5,
                        "methods": [{"method": "VM.get_all", "error": "INTERNAL_ERROR", "params": ["boom"], "times": 1}]}}
            """;
        await using var h = ModelHarness.Create(json);
        h.Simulator.Faults.CallDelay.ShouldBe(TimeSpan.FromMilliseconds(1));
        h.Simulator.Faults.SessionLifetime.ShouldBe(TimeSpan.FromMinutes(1));
        h.Db.Where("VM", f => (bool)f["is_default_template"]).ShouldBeEmpty();
        (await h.FailAsync("VM.get_all")).Description.ShouldBe(["INTERNAL_ERROR", "boom"]);
        (await h.CallAsync<IReadOnlyList<object>>("VM.get_all")).ShouldNotBeEmpty();
    }

    [Fact]
    public void Fault_entries_reject_unknown_keys()
        => Should.Throw<PoolFileException>(() => PoolFileParser.Parse("""{"faults":{"methods":[{"method":"a","error":"b","when":1}]}}"""))
            .Message.ShouldBe("faults.methods[0].when: unknown key");

    [Fact]
    public async Task Appliances_group_their_VMs_with_their_order_and_allowed_operations()
    {
        const string json = """
            {"default_templates": false,
             "appliances": [{"name_label": "shop", "name_description": "the web shop", "uuid": "33333333-3333-4333-8333-333333333333"}],
             "vms": [{"name_label": "web", "appliance": "shop", "order": 1, "start_delay": 5},
                     {"name_label": "db", "appliance": "shop"},
                     {"name_label": "alone"}]}
            """;
        await using var h = ModelHarness.Create(json);
        var shop = h.Db.FindByUuid("VM_appliance", "33333333-3333-4333-8333-333333333333").ShouldNotBeNull();
        h.Db.GetString("VM_appliance", shop, "name_description").ShouldBe("the web shop");
        h.Db.GetStrings("VM_appliance", shop, "VMs").ShouldBe([h.Vm("web"), h.Vm("db")], ignoreOrder: true);
        h.Db.GetStrings("VM_appliance", shop, "allowed_operations").ShouldContain("start");
        h.Db.Get("VM", h.Vm("web"), "order").ShouldBe(1L);
        h.Db.Get("VM", h.Vm("web"), "start_delay").ShouldBe(5L);
        h.Db.GetString("VM", h.Vm("alone"), "appliance").ShouldBe("OpaqueRef:NULL");
    }

    [Fact]
    public async Task Sample_pool_loads()
    {
        var json = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "sample-pool.json"));
        await using var h = ModelHarness.Create(json);
        h.Db.GetAll("host").Count.ShouldBe(2);
        h.Vm("PROD-db").ShouldNotBeNull();
        h.Db.GetStrings("VM", h.Vm("PROD-web"), "snapshots").Count.ShouldBe(1);
    }

    [Fact]
    public async Task Hundred_vms_of_100_GiB_start_without_using_disk_space()
    {
        var vms = string.Join(",", Enumerable.Range(0, 100).Select(i => $$"""{"name_label":"vm{{i}}","power_state":"Running","disks":[{"size":"100GiB","fill":0.5,"seed":{{i}}}]}"""));
        var state = Directory.CreateTempSubdirectory("xapisim-big-");
        try
        {
            await using (var simulator = XapiSimulator.CreateInProcess(new SimulatorOptions
            {
                Pool = PoolFileParser.Parse($$"""{"srs":[{"name_label":"big","size":"20TiB","default":true}],"vms":[{{vms}}]}"""),
                StateDirectory = state.FullName,
            }))
            {
                simulator.Database.Where("VM", f => !(bool)f["is_a_template"] && !(bool)f["is_control_domain"]).Count.ShouldBe(100);
                simulator.Database.Count("VDI").ShouldBe(100);
                var used = state.EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
                used.ShouldBeLessThan(1L << 20);
            }
        }
        finally
        {
            state.Delete(recursive: true);
        }
    }
}
