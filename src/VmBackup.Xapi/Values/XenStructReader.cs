namespace VmBackup.Xapi.Values;

/// <summary>
/// Reads typed fields out of a decoded XAPI struct for the records' <c>FromStruct</c>. A missing field gives the type's
/// empty value (XAPI's own defaults: "", 0, false, epoch, empty set/map, null ref); a field of the wrong shape throws
/// <see cref="InvalidDataException"/> naming the class and field.
/// </summary>
internal readonly struct XenStructReader
{
    private readonly IReadOnlyDictionary<string, object?> _fields;
    private readonly string _className;

    public XenStructReader(IReadOnlyDictionary<string, object?> fields, string className)
    {
        ArgumentNullException.ThrowIfNull(fields);
        _fields = fields;
        _className = className;
    }

    public string String(string name) => Read(name, XenValueConverter.ToText);

    public long Int64(string name) => Read(name, raw => XenValueConverter.ToInt64(raw));

    public double Double(string name) => Read(name, raw => XenValueConverter.ToDouble(raw));

    public bool Boolean(string name) => Read(name, raw => XenValueConverter.ToBoolean(raw));

    public DateTime DateTime(string name) => Read(name, raw => XenValueConverter.ToDateTime(raw));

    public TEnum Enum<TEnum>(string name)
        where TEnum : struct, Enum => Read(name, raw => XenValueConverter.Convert<TEnum>(raw));

    public XenRef<T> Ref<T>(string name)
        where T : IXenApiRecord<T> => Read(name, raw => new XenRef<T>(XenValueConverter.ToText(raw)));

    public IReadOnlyList<XenRef<T>> Refs<T>(string name)
        where T : IXenApiRecord<T> => Read(name, raw => XenValueConverter.Convert<IReadOnlyList<XenRef<T>>>(raw));

    public IReadOnlyList<string> Strings(string name) => Read(name, raw => XenValueConverter.Convert<IReadOnlyList<string>>(raw));

    public IReadOnlyDictionary<string, string> Map(string name) =>
        Read(name, raw => XenValueConverter.Convert<IReadOnlyDictionary<string, string>>(raw));

    public T Value<T>(string name) => Read(name, XenValueConverter.Convert<T>);

    private T Read<T>(string name, Func<object?, T> convert)
    {
        _fields.TryGetValue(name, out var raw);
        try
        {
            return convert(raw);
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or OverflowException)
        {
            throw new InvalidDataException("Field " + _className + "." + name + ": " + e.Message, e);
        }
    }
}
