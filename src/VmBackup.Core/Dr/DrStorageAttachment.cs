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
    /// <summary>The SRs on the storage <paramref name="target"/> holds, as the probe reports them.</summary>
    public async Task<IReadOnlyList<DrProbedSr>> ProbeAsync(DrStorageTarget target, CancellationToken cancellationToken)
    {
        var pools = await session.Pool.GetAllRecordsAsync(cancellationToken).ConfigureAwait(false);
        var master = pools.Values.Select(p => p.Master).FirstOrDefault();
        var xml = await session.CallAsync<string>("SR.probe", [master, target.DeviceConfig, target.Type, new Dictionary<string, string> { ["metadata"] = "true" }], cancellationToken).ConfigureAwait(false);
        return Parse(xml);
    }

    /// <summary>Introduces the SRs <paramref name="uuids"/> of the storage; returns the DR task and the SRs it introduced.</summary>
    public async Task<(string Task, IReadOnlyList<XenRef<SrRecord>> Introduced)> AttachAsync(DrStorageTarget target, IReadOnlyList<string> uuids, CancellationToken cancellationToken)
    {
        var task = await session.CallAsync<string>("DR_task.create", [target.Type, target.DeviceConfig, uuids], cancellationToken).ConfigureAwait(false);
        var introduced = await session.CallAsync<IReadOnlyList<XenRef<SrRecord>>>("DR_task.get_introduced_SRs", [task], cancellationToken).ConfigureAwait(false);
        return (task, introduced);
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

    /// <summary>Destroys the DR task; xapi forgets the SRs it introduced that no recovered VM uses.</summary>
    public Task DestroyTaskAsync(string task, CancellationToken cancellationToken) => session.CallAsync("DR_task.destroy", [task], cancellationToken);

    /// <summary>Parses the probe's <c>&lt;SRlist&gt;&lt;SR&gt;&lt;UUID/&gt;&lt;name_label/&gt;...</c> answer.</summary>
    /// <exception cref="DrException">The answer is not such a list.</exception>
    public static IReadOnlyList<DrProbedSr> Parse(string xml)
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
                    sr.Element("name_description")?.Value.Trim() ?? string.Empty))
                .ToList();
        }
        catch (XmlException e)
        {
            throw new DrException(string.Create(CultureInfo.InvariantCulture, $"the SR probe answered malformed XML (line {e.LineNumber}): {e.Message}"));
        }
    }
}
