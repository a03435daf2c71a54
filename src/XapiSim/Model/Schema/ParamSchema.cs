namespace XapiSim.Model.Schema;

/// <summary>A parameter of a message (the session parameter is never listed).</summary>
internal sealed record ParamSchema(string Name, XapiType Type, bool HasDefault);
