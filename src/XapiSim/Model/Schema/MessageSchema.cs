namespace XapiSim.Model.Schema;

/// <summary>
/// One message (API call) of a class. <see cref="Parameters"/> exclude the session; <see cref="TakesSession"/> says
/// whether the wire call starts with one.
/// </summary>
internal sealed record MessageSchema(string ClassName, string Name, bool IsImplicit, bool IsRemoved, XapiType Result, IReadOnlyList<ParamSchema> Parameters, bool TakesSession)
{
    /// <summary>The wire name, <c>Class.message</c>.</summary>
    public string WireName => ClassName + "." + Name;

    /// <summary>How many trailing parameters have defaults and may be left out.</summary>
    public int RequiredCount => Parameters.Count - Parameters.Reverse().TakeWhile(p => p.HasDefault).Count();

    /// <summary>True if XAPI offers an <c>Async.</c> variant (every explicit message except session, task and event ones).</summary>
    public bool HasAsync =>
        !IsRemoved && TakesSession && ClassName is not ("session" or "task" or "event") && (!IsImplicit || Name is "create" or "destroy");
}
