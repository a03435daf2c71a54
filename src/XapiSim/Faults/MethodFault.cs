namespace XapiSim.Faults;

/// <summary>
/// Makes calls of one method fail with a XenAPI error. <see cref="Method"/> is the wire name without the
/// <c>Async.</c> prefix (e.g. <c>VM.snapshot</c>); an Async call fails its task instead of the call. The HTTP handler
/// of <c>PUT /import_metadata</c> counts as <c>VM.metadata_import</c> (its xapi operation) and fails its task.
/// </summary>
/// <param name="Method">The method, e.g. <c>VM.snapshot</c>.</param>
/// <param name="Code">The error code, e.g. <c>SR_FULL</c>.</param>
/// <param name="Parameters">The error parameters.</param>
/// <param name="OnCall">If set, calls before the Nth (1-based, counted from when the fault was added) succeed.</param>
/// <param name="Times">How many calls fail before the fault disarms itself; default: every call, or exactly one when <paramref name="OnCall"/> is set.</param>
public sealed record MethodFault(string Method, string Code, IReadOnlyList<string> Parameters, int? OnCall = null, int? Times = null);
