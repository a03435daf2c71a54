using System.Text.RegularExpressions;
using VmBackup.Core.Nau.Config;

namespace VmBackup.Core.Nau.Selection;

/// <summary>
/// NAUbackup v3.25's VM selection (behaviour spec §3) over a pool list: one pass in file order; simple names by
/// exact equality, anything else as a Python regex anchored at the start; excludes remove VMs from the pool list;
/// then (config mode) vdi-export beats vm-export and the last definition of a VM wins, excludes forced.
/// Templates, snapshots and control domains are never selectable.
/// </summary>
public sealed class VmSelector
{
    private readonly List<string> _allVms;
    private readonly List<NauSelectionEntry> _vdi = [];
    private readonly List<NauSelectionEntry> _vm = [];
    private readonly List<string> _exclude = [];
    private readonly List<NauLogLine> _load = [];
    private readonly List<NauLogLine> _cleanup = [];
    private readonly TimeSpan _timeout;
    private bool _regexError;
    private bool _warning;

    private VmSelector(IReadOnlyList<PoolVm> pool, TimeSpan? timeout)
    {
        ArgumentNullException.ThrowIfNull(pool);
        _allVms = [.. PoolVm.SelectableNames(pool)];
        _timeout = timeout ?? PythonRegex.DefaultTimeout;
    }

    /// <summary>Config mode: all directives in file order, then the duplicate cleanup (unless <paramref name="runCleanup"/> is false, as after an unknown-key error).</summary>
    public static NauSelection SelectFromConfig(
        IReadOnlyList<NauDirective> directives,
        IReadOnlyList<PoolVm> pool,
        bool runCleanup = true,
        TimeSpan? regexTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(directives);
        var s = new VmSelector(pool, regexTimeout);
        foreach (var d in directives)
        {
            s.Apply(d);
        }

        if (runCleanup)
        {
            s.Cleanup();
        }

        return s.Result();
    }

    /// <summary>CLI mode: one vm-export/vdi-export selector, no cleanup (duplicate pool names give duplicate entries, as v3.25).</summary>
    public static NauSelection SelectFromCommandLine(
        string key,
        string selector,
        IReadOnlyList<PoolVm> pool,
        TimeSpan? regexTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        var kind = key == "vdi-export" ? NauDirectiveKind.VdiExport : NauDirectiveKind.VmExport;
        var s = new VmSelector(pool, regexTimeout);
        s.Apply(new NauDirective(kind, selector, null));
        return s.Result();
    }

    private NauSelection Result() => new()
    {
        VdiExport = _vdi.ToList(),
        VmExport = _vm.ToList(),
        Exclude = _exclude.ToList(),
        RemainingVms = _allVms.ToList(),
        LoadMessages = _load.ToList(),
        CleanupMessages = _cleanup.ToList(),
        HasRegexError = _regexError,
        HasWarning = _warning,
    };

    private void Apply(NauDirective d)
    {
        if (d.Kind == NauDirectiveKind.Exclude)
        {
            ApplyExclude(d);
        }
        else
        {
            ApplyExport(d);
        }
    }

    private void ApplyExclude(NauDirective d)
    {
        if (d.Value.Length == 0)
        {
            return;
        }

        if (!TryMatcher(d, d.Value, out var matches))
        {
            return;
        }

        var found = false;
        foreach (var vm in _allVms)
        {
            if (matches(vm))
            {
                found = true;
                _exclude.Add(vm);
            }
        }

        if (!found)
        {
            NotFound(d);
            return;
        }

        var excluded = _exclude.ToHashSet(StringComparer.Ordinal);
        _allVms.RemoveAll(excluded.Contains);
    }

    private void ApplyExport(NauDirective d)
    {
        if (_allVms.Count == 0)
        {
            return;
        }

        if (d.Kind == NauDirectiveKind.VdiExport && d.Value.Length == 0)
        {
            return;
        }

        // An empty vm-export= matches every VM (v3.25: '' is not simple and the empty regex matches everything).
        var (selector, suffix) = NauSelectorValue.Split(d.Value);
        if (!TryMatcher(d, selector, out var matches))
        {
            return;
        }

        var found = false;
        foreach (var vm in _allVms)
        {
            if (!matches(vm))
            {
                continue;
            }

            found = true;
            if (d.Kind == NauDirectiveKind.VmExport && _vdi.Any(e => e.MaxBackupsSuffix is null && e.VmName == vm))
            {
                continue; // v3.25: skipped silently when the vdi list holds the plain name
            }

            (d.Kind == NauDirectiveKind.VdiExport ? _vdi : _vm).Add(new NauSelectionEntry(vm, suffix));
        }

        if (!found)
        {
            NotFound(d);
        }
    }

    private void NotFound(NauDirective d)
    {
        _load.Add(NauLogLine.Log($"***WARNING - vm not found: {d.Key}={d.Value}", d.Line));
        _warning = true;
    }

    private bool TryMatcher(NauDirective d, string selector, out Func<string, bool> matches)
    {
        if (PythonRegex.IsSimpleName(selector))
        {
            matches = vm => string.Equals(vm, selector, StringComparison.Ordinal);
            return true;
        }

        if (!PythonRegex.TryCompile(selector, out var regex, out _, _timeout))
        {
            _load.Add(NauLogLine.Log($"***ERROR - invalid regex: {d.Key}={d.Value}", d.Line));
            _regexError = true;
            matches = _ => false;
            return false;
        }

        matches = vm =>
        {
            try
            {
                return regex.MatchAtStart(vm);
            }
            catch (RegexMatchTimeoutException)
            {
                _load.Add(NauLogLine.Log($"***ERROR - regex timed out: {d.Key}={d.Value} (vm: {vm})", d.Line));
                _regexError = true;
                return false;
            }
        };
        return true;
    }

    private void Cleanup()
    {
        // 1. vdi beats vm: every vm-export entry of a VM that is in the vdi list is removed (v3.25 skipped the
        //    entry following a removed one - defect C16 - so the VM could end in both lists).
        foreach (var vdi in _vdi.ToList())
        {
            foreach (var vm in _vm.Where(e => e.VmName == vdi.VmName).ToList())
            {
                _cleanup.Add(NauLogLine.Log($"***WARNING vdi-export duplicate - removing vm-export={vm}"));
                _vm.Remove(vm);
            }
        }

        // 2. RemoveDup: last definition wins at the first position; excluded names are dropped.
        var vdiFinal = RemoveDup(_vdi);
        var vmFinal = RemoveDup(_vm);
        _vdi.Clear();
        _vdi.AddRange(vdiFinal);
        _vm.Clear();
        _vm.AddRange(vmFinal);
    }

    private List<NauSelectionEntry> RemoveDup(List<NauSelectionEntry> list)
    {
        var excluded = _exclude.ToHashSet(StringComparer.Ordinal);
        var final = new List<NauSelectionEntry>();
        foreach (var val in list)
        {
            var index = final.FindIndex(e => e.VmName == val.VmName);
            if (index >= 0)
            {
                final[index] = val;
                continue;
            }

            if (excluded.Contains(val.VmName))
            {
                _cleanup.Add(NauLogLine.Log($"***WARNING - forcing exclude of: {val} "));
                continue;
            }

            final.Add(val);
        }

        return final;
    }
}
