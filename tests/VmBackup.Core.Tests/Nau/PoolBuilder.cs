using VmBackup.Core.Nau.Selection;

namespace VmBackup.Core.Tests.Nau;

/// <summary>Builds simulated pools: <c>ref | name | flags</c> lines, flags T (template), S (snapshot), D (dom0).</summary>
internal static class PoolBuilder
{
    public static IReadOnlyList<PoolVm> Parse(string text)
    {
        var pool = new List<PoolVm>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var parts = line.Split(" | ");
            var flags = parts.Length > 2 ? parts[2] : string.Empty;
            pool.Add(new PoolVm(parts[0], parts[1], flags.Contains('T'), flags.Contains('S'), flags.Contains('D')));
        }

        return pool;
    }

    public static IReadOnlyList<PoolVm> Vms(params string[] names) =>
        names.Select((n, i) => new PoolVm($"OpaqueRef:{i + 1}", n, false, false, false)).ToList();
}
