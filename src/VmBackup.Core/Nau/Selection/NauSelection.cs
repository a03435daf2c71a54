namespace VmBackup.Core.Nau.Selection;

/// <summary>The result of <see cref="VmSelector"/>: the three lists (in processing order, not sorted) and the messages.</summary>
public sealed record NauSelection
{
    /// <summary>vdi-export entries in list order (first occurrence, pool order within a regex).</summary>
    public required IReadOnlyList<NauSelectionEntry> VdiExport { get; init; }

    /// <summary>vm-export entries in list order.</summary>
    public required IReadOnlyList<NauSelectionEntry> VmExport { get; init; }

    /// <summary>Excluded VM names (one per match, as v3.25).</summary>
    public required IReadOnlyList<string> Exclude { get; init; }

    /// <summary>v3.25's <c>all_vms</c> after excludes were removed (input of the preview duplicate-name scan).</summary>
    public required IReadOnlyList<string> RemainingVms { get; init; }

    /// <summary>Load-time lines in file order (<c>***WARNING - vm not found: …</c>, <c>***ERROR - invalid regex: …</c>), with source lines.</summary>
    public required IReadOnlyList<NauLogLine> LoadMessages { get; init; }

    /// <summary>Cleanup lines (<c>***WARNING vdi-export duplicate - removing …</c>, <c>***WARNING - forcing exclude of: … </c>).</summary>
    public required IReadOnlyList<NauLogLine> CleanupMessages { get; init; }

    /// <summary>v3.25's <c>error_regex</c>: an invalid (or timed-out) regex was seen.</summary>
    public bool HasRegexError { get; init; }

    /// <summary>v3.25's <c>warning_match</c>: a selector matched nothing.</summary>
    public bool HasWarning { get; init; }
}
