using System.Runtime.CompilerServices;
using XapiSim.Model;

namespace XapiSim.DataPlane;

/// <summary>
/// xapi's <c>Export.make_id</c>: one counter for the life of the process (here: of the simulated pool), so the first
/// export's ids start at <c>Ref:0</c> and later exports continue from where the previous one stopped.
/// </summary>
internal static class ExportIdCounter
{
    private static readonly ConditionalWeakTable<SimulatedPool, StrongBox<long>> Counters = [];

    public static string Next(SimulatedPool pool)
    {
        var box = Counters.GetValue(pool, _ => new StrongBox<long>(-1));
        return "Ref:" + Interlocked.Increment(ref box.Value).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
