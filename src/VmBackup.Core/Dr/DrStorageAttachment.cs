using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using VmBackup.Xapi;
using VmBackup.Xapi.Records;

namespace VmBackup.Core.Dr;

/// <summary>
/// Brings the replicated SRs into the recovering pool the way XenCenter's DR wizard does: <c>SR.probe</c> (metadata)
/// lists the SRs on the storage, <c>DR_task.create</c> introduces and plugs those chosen, and the task's
/// <c>introduced_SRs</c> says which ones it added. Undone by <see cref="ForgetAsync"/> (unplug and <c>SR.forget</c>:
/// the SR's content stays on the storage) and <c>DR_task.destroy</c>.
/// </summary>
internal sealed class DrStorageAttachment(XenApiSession session)
{
    /// <summary>
    /// The SRs the storage <paramref name="target"/> holds. For a block storage (<c>lvmoiscsi</c>, <c>lvmohba</c>) whose
    /// device configuration names no <c>SCSIid</c>, the LUNs are listed first (as SM answers a probe without one) and
    /// each is probed for metadata, as XenCenter's wizard does: one target may hold several replicated LUNs.
    /// </summary>
    public async Task<IReadOnlyList<DrProbedSr>> ProbeAsync(DrStorageTarget target, CancellationToken cancellationToken)
    {
        var pools = await session.Pool.GetAllRecordsAsync(cancellationToken).ConfigureAwait(false);
        var master = pools.Values.Select(p => p.Master).FirstOrDefault();
        if (!BlockTypes.Contains(target.Type) || target.DeviceConfig.ContainsKey("SCSIid"))
        {
            return await ProbeMetadataAsync(master, target.Type, target.DeviceConfig, cancellationToken).ConfigureAwait(false);
        }

        string luns;
        try
        {
            luns = await session.CallAsync<string>("SR.probe", [master, target.DeviceConfig, target.Type, new Dictionary<string, string>()], cancellationToken).ConfigureAwait(false);
        }
        catch (XenApiException e) when (e.ErrorCode == "SR_BACKEND_FAILURE_107" && e.ErrorParameters.Count > 2)
        {
            // "The SCSIid parameter is missing or incorrect", with the target's LUNs as details.
            luns = e.ErrorParameters[2];
        }

        var found = new List<DrProbedSr>();
        foreach (var scsiId in ScsiIds(luns))
        {
            var config = new Dictionary<string, string>(target.DeviceConfig, StringComparer.Ordinal) { ["SCSIid"] = scsiId };
            found.AddRange(await ProbeMetadataAsync(master, target.Type, config, cancellationToken).ConfigureAwait(false));
        }

        return found;
    }

    /// <summary>Introduces the SRs <paramref name="srs"/> (one <c>DR_task</c> per LUN); returns the tasks and the SRs they introduced.</summary>
    public async Task<(IReadOnlyList<string> Tasks, IReadOnlyList<XenRef<SrRecord>> Introduced)> AttachAsync(string type, IReadOnlyList<DrProbedSr> srs, CancellationToken cancellationToken)
    {
        var tasks = new List<string>();
        var introduced = new List<XenRef<SrRecord>>();
        foreach (var lun in srs.GroupBy(sr => string.Join("\n", sr.DeviceConfig.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key + "=" + kv.Value)), StringComparer.Ordinal))
        {
            var config = lun.First().DeviceConfig;
            var task = await session.CallAsync<string>("DR_task.create", [type, config, lun.Select(sr => sr.Uuid).ToList()], cancellationToken).ConfigureAwait(false);
            tasks.Add(task);
            introduced.AddRange(await session.CallAsync<IReadOnlyList<XenRef<SrRecord>>>("DR_task.get_introduced_SRs", [task], cancellationToken).ConfigureAwait(false));
        }

        return (tasks, introduced);
    }

    /// <summary>Unplugs the SR's attached PBDs and forgets it (its VDIs stay on the storage).</summary>
    public async Task ForgetAsync(XenRef<SrRecord> sr, CancellationToken cancellationToken)
    {
        var pbds = await session.CallAsync<IReadOnlyList<string>>("SR.get_PBDs", [sr], cancellationToken).ConfigureAwait(false);
        foreach (var pbd in pbds)
        {
            if (await session.CallAsync<bool>("PBD.get_currently_attached", [pbd], cancellationToken).ConfigureAwait(false))
            {
                await session.CallAsync("PBD.unplug", [pbd], cancellationToken).ConfigureAwait(false);
            }
        }

        await session.CallAsync("SR.forget", [sr], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Destroys a DR task; xapi forgets the SRs it introduced that no recovered VM uses.</summary>
    public Task DestroyTaskAsync(string task, CancellationToken cancellationToken) => session.CallAsync("DR_task.destroy", [task], cancellationToken);

    private static readonly HashSet<string> BlockTypes = new(StringComparer.Ordinal) { "lvmoiscsi", "lvmohba" };

    private async Task<IReadOnlyList<DrProbedSr>> ProbeMetadataAsync(XenRef<HostRecord> master, string type, IReadOnlyDictionary<string, string> config, CancellationToken cancellationToken)
    {
        var xml = await session.CallAsync<string>("SR.probe", [master, config, type, new Dictionary<string, string> { ["metadata"] = "true" }], cancellationToken).ConfigureAwait(false);
        return Parse(xml, config);
    }

    /// <summary>The <c>&lt;SCSIid&gt;</c> values of a LUN listing (iSCSI <c>&lt;iscsi-target&gt;</c> or HBA <c>&lt;Devlist&gt;</c>).</summary>
    private static IEnumerable<string> ScsiIds(string xml)
    {
        try
        {
            return XDocument.Parse(xml).Descendants("SCSIid").Select(e => e.Value.Trim()).Where(v => v.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        }
        catch (XmlException e)
        {
            throw new DrException(string.Create(CultureInfo.InvariantCulture, $"the storage's LUN list is malformed XML (line {e.LineNumber}): {e.Message}"));
        }
    }

    /// <summary>Parses the probe's <c>&lt;SRlist&gt;&lt;SR&gt;&lt;UUID/&gt;&lt;name_label/&gt;...</c> answer.</summary>
    /// <exception cref="DrException">The answer is not such a list.</exception>
    private static IReadOnlyList<DrProbedSr> Parse(string xml, IReadOnlyDictionary<string, string> config)
    {
        try
        {
            var root = XDocument.Parse(xml).Root;
            if (root?.Name.LocalName != "SRlist")
            {
                throw new DrException("the SR probe did not answer an <SRlist>");
            }

            return root.Elements("SR")
                .Select(sr => new DrProbedSr(
                    sr.Element("UUID")?.Value.Trim() ?? throw new DrException("the SR probe listed an SR without a UUID"),
                    sr.Element("name_label")?.Value.Trim() ?? string.Empty,
                    sr.Element("name_description")?.Value.Trim() ?? string.Empty,
                    config))
                .ToList();
        }
        catch (XmlException e)
        {
            throw new DrException(string.Create(CultureInfo.InvariantCulture, $"the SR probe answered malformed XML (line {e.LineNumber}): {e.Message}"));
        }
    }
}
