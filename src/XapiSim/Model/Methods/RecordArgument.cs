using XapiSim.Model.Database;
using XapiSim.Model.Schema;
using XapiSim.Rpc;

namespace XapiSim.Model.Methods;

/// <summary>Turns a constructor's struct argument into typed field values (unknown members are ignored, as XAPI does; missing ones take defaults).</summary>
internal static class RecordArgument
{
    public static Dictionary<string, object> Fields(ClassSchema schema, IReadOnlyDictionary<string, object> record)
    {
        var fields = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var (name, value) in record)
        {
            if (schema.FindField(name) is not { IsConstructorField: true } field)
            {
                continue;
            }

            if (!field.Type.TryCoerce(value, out var coerced))
            {
                throw new XenApiFailure("FIELD_TYPE_ERROR", name);
            }

            fields[name] = coerced;
        }

        return fields;
    }
}
