using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using XapiSim.PoolFile;

namespace XapiSim.Model.Sr;

/// <summary>
/// The storage the hosts of one <see cref="SimulatedPool"/> can reach: the storage targets (LUNs) of the pool file,
/// including the shared SRs declared with a <c>device_config</c>, and the SRs made by <c>SR.introduce</c>, whose
/// PBDs attach only to a matching target.
/// </summary>
internal sealed class StorageState
{
    private static readonly ConditionalWeakTable<SimulatedPool, StorageState> States = new();

    private readonly ConcurrentQueue<StorageTargetDefinition> _targets = new();
    private readonly ConcurrentDictionary<string, bool> _introduced = new(StringComparer.Ordinal);

    /// <summary>The state of <paramref name="pool"/>, created on first use.</summary>
    public static StorageState For(SimulatedPool pool) => States.GetValue(pool, _ => new StorageState());

    /// <summary>The targets the hosts see, in pool-file order.</summary>
    public IReadOnlyList<StorageTargetDefinition> Targets => [.. _targets];

    public void AddTarget(StorageTargetDefinition target) => _targets.Enqueue(target);

    /// <summary>Records that <paramref name="sr"/> was made by <c>SR.introduce</c> (its storage is found when a PBD is plugged).</summary>
    public void MarkIntroduced(string sr) => _introduced[sr] = true;

    public bool IsIntroduced(string sr) => _introduced.ContainsKey(sr);

    public void Forget(string sr) => _introduced.TryRemove(sr, out _);
}
