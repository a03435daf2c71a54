using XapiSim.Model.Schema;

using XapiSim.Storage;

namespace XapiSim.Model.Pool;

/// <summary>
/// Creates the objects a real XAPI would create for VMs, disks and devices, with XAPI's field values; shared by
/// the pool-file builder and the RPC methods. Callers hold the database lock when several objects must appear together.
/// </summary>
internal sealed class PoolObjects(SimulatedPool pool)
{
    private static long s_macCounter;
    private static long s_domid;

    public SimulatedPool Pool { get; } = pool;

    /// <summary>When set, creating VDIs does not recompute SR usage (the pool builder does it once at the end).</summary>
    public bool DeferSrRefresh { get; set; }

    /// <summary>A locally administered MAC address, unique within the process.</summary>
    public static string NewMac()
    {
        var n = Interlocked.Increment(ref s_macCounter);
        return $"a2:5e:{(n >> 24) & 0xff:x2}:{(n >> 16) & 0xff:x2}:{(n >> 8) & 0xff:x2}:{n & 0xff:x2}";
    }

    public static long NextDomid() => Interlocked.Increment(ref s_domid);

    /// <summary>Creates a VM_metrics object for a VM with the given memory and vCPUs.</summary>
    public string CreateVmMetrics(long memory, long vcpus, bool running)
    {
        var now = Pool.Now;
        return Pool.Database.Create("VM_metrics", new Dictionary<string, object>
        {
            ["memory_actual"] = running ? memory : 0L,
            ["VCPUs_number"] = running ? vcpus : 0L,
            ["VCPUs_CPU"] = new Dictionary<string, object>(),
            ["VCPUs_params"] = new Dictionary<string, object>(),
            ["VCPUs_flags"] = new Dictionary<string, object>(),
            ["state"] = new List<object>(),
            ["start_time"] = running ? now : XapiValues.Epoch,
            ["install_time"] = now,
            ["last_updated"] = now,
            ["hvm"] = true,
            ["current_domain_type"] = running ? "hvm" : "unspecified",
        });
    }

    /// <summary>The field values XAPI gives a new, halted HVM guest of <paramref name="memory"/> bytes (name, power and vCPUs aside).</summary>
    public Dictionary<string, object> CreateVmDefaults(long memory) => new()
    {
        ["user_version"] = 1L,
        ["memory_overhead"] = Math.Max(memory / 128, 1L << 20),
        ["memory_static_max"] = memory,
        ["memory_dynamic_max"] = memory,
        ["memory_dynamic_min"] = memory,
        ["memory_static_min"] = Math.Min(memory, 512L << 20),
        ["actions_after_shutdown"] = "destroy",
        ["actions_after_reboot"] = "restart",
        ["actions_after_crash"] = "restart",
        ["HVM_boot_policy"] = "BIOS order",
        ["HVM_boot_params"] = new Dictionary<string, object> { ["order"] = "cdn" },
        ["platform"] = new Dictionary<string, object> { ["timeoffset"] = "0", ["device-model"] = "qemu-upstream-compat", ["viridian"] = "false", ["acpi"] = "1", ["apic"] = "true", ["pae"] = "true", ["nx"] = "true", ["vga"] = "std", ["videoram"] = "8" },
        ["other_config"] = new Dictionary<string, object> { ["mac_seed"] = XapiValues.NewUuid(), ["vgpu_pci"] = string.Empty },
        ["domain_type"] = "hvm",
        ["bios_strings"] = new Dictionary<string, object> { ["bios-vendor"] = "Xen", ["bios-version"] = string.Empty, ["system-manufacturer"] = "Xen", ["system-product-name"] = "HVM domU", ["system-version"] = string.Empty, ["system-serial-number"] = string.Empty, ["hp-rombios"] = string.Empty, ["oem-1"] = "Xen", ["oem-2"] = "MS_VM_CERT/SHA1/bdbeb6e0a816d43fa6d3fe8aaef04c2bad9d3e3d" },
        ["has_vendor_device"] = false,
        ["NVRAM"] = new Dictionary<string, object>(),
        ["pending_guidances"] = new List<object>(),
    };

    /// <summary>Creates a VM record (no devices). <paramref name="values"/> override the defaults below.</summary>
    public string CreateVm(string name, long memory, long vcpus, string powerState, IReadOnlyDictionary<string, object>? values = null)
    {
        var running = powerState is "Running" or "Paused";
        var isTemplate = values?.GetValueOrDefault("is_a_template") is true;
        var fields = CreateVmDefaults(memory);
        fields["name_label"] = name;
        fields["power_state"] = powerState;
        fields["memory_target"] = running ? memory : 0L;
        fields["VCPUs_max"] = vcpus;
        fields["VCPUs_at_startup"] = vcpus;
        fields["domid"] = running ? NextDomid() : -1L;
        fields["domarch"] = running ? "x64" : string.Empty;
        fields["resident_on"] = running ? Pool.MasterRef : XapiValues.NullRef;
        if (values is not null)
        {
            foreach (var (k, v) in values)
            {
                fields[k] = v;
            }
        }

        fields["allowed_operations"] = VmAllowedOperations.For(powerState, isTemplate, values?.GetValueOrDefault("is_a_snapshot") is true, values?.GetValueOrDefault("is_control_domain") is true);
        fields["metrics"] = isTemplate ? XapiValues.NullRef : CreateVmMetrics(memory, vcpus, running);
        if (running && !fields.ContainsKey("guest_metrics"))
        {
            fields["guest_metrics"] = CreateGuestMetrics(name);
        }

        return Pool.Database.Create("VM", fields);
    }

    /// <summary>Creates guest metrics as the PV tools of a running Linux guest would report them.</summary>
    public string CreateGuestMetrics(string vmName) => Pool.Database.Create("VM_guest_metrics", new Dictionary<string, object>
    {
        ["os_version"] = new Dictionary<string, object> { ["name"] = "Debian GNU/Linux 12 (bookworm)", ["distro"] = "debian", ["major"] = "12", ["minor"] = "0", ["uname"] = "6.1.0-18-amd64" },
        ["PV_drivers_version"] = new Dictionary<string, object> { ["major"] = "8", ["minor"] = "3", ["micro"] = "0", ["build"] = "1" },
        ["PV_drivers_up_to_date"] = true,
        ["PV_drivers_detected"] = true,
        ["networks"] = new Dictionary<string, object> { ["0/ip"] = "10.0.0." + ((Math.Abs(vmName.GetHashCode(StringComparison.Ordinal)) % 250) + 2) },
        ["other"] = new Dictionary<string, object> { ["has-vendor-device"] = "0", ["feature-shutdown"] = "1", ["feature-suspend"] = "1" },
        ["last_updated"] = Pool.Now,
        ["live"] = true,
        ["can_use_hotplug_vbd"] = "yes",
        ["can_use_hotplug_vif"] = "yes",
    });

    /// <summary>
    /// A VDI with an all-zero disk of <paramref name="virtualSize"/> bytes: in the SR's shared folder when the SR is a
    /// shared (replicated) one, so that other pools on that storage see it, else in this pool's private store.
    /// </summary>
    public string CreateEmptyVdi(string srRef, string name, string type, long virtualSize, IReadOnlyDictionary<string, object>? values = null)
    {
        var uuid = values?.GetValueOrDefault("uuid") as string ?? XapiValues.NewUuid();
        var withUuid = new Dictionary<string, object>(values ?? new Dictionary<string, object>(), StringComparer.Ordinal) { ["uuid"] = uuid };
        var diskId = Pool.SharedStorageOf(srRef) is { } folder && Pool.Disks is ISharedDiskStore shared
            ? shared.CreateShared(folder, SharedVdiSidecar.For(Pool.Database, uuid, name, type, virtualSize, withUuid))
            : Pool.Disks.CreateEmpty(virtualSize);
        return CreateVdi(srRef, name, type, virtualSize, diskId, withUuid);
    }

    /// <summary>
    /// A VDI of <paramref name="srRef"/> whose disk holds the content disk <paramref name="sourceDiskId"/> has now (null:
    /// no content, e.g. an ISO). On a shared (replicated) SR the disk is a full copy in the SR's folder, with a sidecar
    /// recording the names, type and snapshot fields of <paramref name="values"/>, so that the VDI lives on the LUN
    /// like the others and another pool on that storage introduces it; elsewhere it is an instant copy-on-write
    /// <see cref="IDiskStore.Snapshot"/> (when <paramref name="values"/> has <c>is_a_snapshot</c>) or
    /// <see cref="IDiskStore.Clone"/> in this pool's store.
    /// </summary>
    public string CreateCopiedVdi(string srRef, string name, string type, long virtualSize, string? sourceDiskId, IReadOnlyDictionary<string, object> values)
    {
        var uuid = values.GetValueOrDefault("uuid") as string ?? XapiValues.NewUuid();
        var withUuid = new Dictionary<string, object>(values, StringComparer.Ordinal) { ["uuid"] = uuid };
        string? diskId;
        if (sourceDiskId is null)
        {
            diskId = null;
        }
        else if (Pool.SharedStorageOf(srRef) is { } folder && Pool.Disks is ISharedDiskStore shared)
        {
            diskId = shared.CopyToShared(sourceDiskId, folder, SharedVdiSidecar.For(Pool.Database, uuid, name, type, virtualSize, withUuid));
        }
        else
        {
            diskId = values.GetValueOrDefault("is_a_snapshot") is true ? Pool.Disks.Snapshot(sourceDiskId) : Pool.Disks.Clone(sourceDiskId);
        }

        return CreateVdi(srRef, name, type, virtualSize, diskId, withUuid);
    }

    /// <summary>Creates a VDI of <paramref name="srRef"/> backed by <paramref name="diskId"/> of the disk store (null: no content, e.g. an ISO).</summary>
    public string CreateVdi(string srRef, string name, string type, long virtualSize, string? diskId, IReadOnlyDictionary<string, object>? values = null)
    {
        var uuid = values?.GetValueOrDefault("uuid") as string ?? XapiValues.NewUuid();
        var fields = new Dictionary<string, object>
        {
            ["uuid"] = uuid,
            ["name_label"] = name,
            ["SR"] = srRef,
            ["virtual_size"] = virtualSize,
            ["physical_utilisation"] = diskId is null ? virtualSize : Pool.Disks.GetPhysicalUtilisation(diskId),
            ["type"] = type,
            ["location"] = uuid,
            ["managed"] = true,
            ["allowed_operations"] = new List<object> { "generate_config", "update", "forget", "destroy", "snapshot", "resize", "copy", "clone" },
            ["sm_config"] = type == "iso" || diskId is null ? new Dictionary<string, object>() : new Dictionary<string, object> { ["vdi_type"] = "vhd" },
            ["on_boot"] = "persist",
            ["snapshot_time"] = XapiValues.Epoch,
        };
        if (values is not null)
        {
            foreach (var (k, v) in values)
            {
                fields[k] = v;
            }
        }

        var vdi = Pool.Database.Create("VDI", fields);
        if (diskId is not null)
        {
            Pool.SetDisk(vdi, diskId);
        }

        if (!DeferSrRefresh)
        {
            RefreshSrUsage(srRef);
        }

        return vdi;
    }

    /// <summary>Creates a VBD linking <paramref name="vmRef"/> and <paramref name="vdiRef"/> (NULL for an empty CD).</summary>
    public string CreateVbd(string vmRef, string vdiRef, string userdevice, string type, bool bootable, string mode, bool attached, IReadOnlyDictionary<string, object>? otherConfig = null)
    {
        var empty = XapiValues.IsNull(vdiRef);
        return Pool.Database.Create("VBD", new Dictionary<string, object>
        {
            ["VM"] = vmRef,
            ["VDI"] = empty ? XapiValues.NullRef : vdiRef,
            ["device"] = DeviceName(userdevice),
            ["userdevice"] = userdevice,
            ["bootable"] = bootable,
            ["mode"] = mode,
            ["type"] = type,
            ["unpluggable"] = type == "CD",
            ["empty"] = empty,
            ["currently_attached"] = attached,
            ["allowed_operations"] = new List<object> { attached ? "unplug" : "attach" },
            ["other_config"] = otherConfig is null ? new Dictionary<string, object>() : XapiValues.Copy(otherConfig),
            ["qos_algorithm_params"] = new Dictionary<string, object>(),
            ["qos_supported_algorithms"] = new List<object>(),
            ["status_code"] = 0L,
            ["status_detail"] = string.Empty,
            ["runtime_properties"] = new Dictionary<string, object>(),
        });
    }

    /// <summary>Creates a VIF of <paramref name="vmRef"/> on <paramref name="networkRef"/>.</summary>
    public string CreateVif(string vmRef, string networkRef, string device, string? mac, bool attached)
        => Pool.Database.Create("VIF", new Dictionary<string, object>
        {
            ["device"] = device,
            ["network"] = networkRef,
            ["VM"] = vmRef,
            ["MAC"] = mac ?? NewMac(),
            ["MAC_autogenerated"] = mac is null,
            ["MTU"] = Pool.Database.Exists(networkRef, "network") ? Pool.Database.Get("network", networkRef, "MTU") : 1500L,
            ["currently_attached"] = attached,
            ["allowed_operations"] = new List<object> { attached ? "unplug" : "attach" },
            ["locking_mode"] = "network_default",
            ["qos_algorithm_params"] = new Dictionary<string, object>(),
            ["qos_supported_algorithms"] = new List<object>(),
            ["status_code"] = 0L,
            ["runtime_properties"] = new Dictionary<string, object>(),
        });

    /// <summary>xvda for "0", xvdb for "1"...</summary>
    public static string DeviceName(string userdevice)
        => int.TryParse(userdevice, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n is >= 0 and < 26
            ? "xvd" + (char)('a' + n)
            : userdevice;

    /// <summary>Recomputes the SR's physical utilisation and virtual allocation from its VDIs.</summary>
    public void RefreshSrUsage(string srRef)
    {
        var db = Pool.Database;
        lock (db.SyncRoot)
        {
            if (!db.Exists(srRef, "SR"))
            {
                return;
            }

            long physical = 0, allocation = 0;
            foreach (var vdi in db.GetStrings("SR", srRef, "VDIs"))
            {
                allocation += (long)db.Get("VDI", vdi, "virtual_size");
                physical += (long)db.Get("VDI", vdi, "physical_utilisation");
            }

            db.Set("SR", srRef, "physical_utilisation", physical);
            db.Set("SR", srRef, "virtual_allocation", allocation);
        }
    }
}
