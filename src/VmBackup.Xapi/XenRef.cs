namespace VmBackup.Xapi;

/// <summary>
/// A reference to a XAPI object of class <typeparamref name="T"/> (<c>OpaqueRef:…</c>). <c>default</c>, the empty string
/// and <c>OpaqueRef:NULL</c> are all the null reference and compare equal. Immutable.
/// </summary>
/// <typeparam name="T">The record type of the referenced class.</typeparam>
public readonly struct XenRef<T> : IXenRef, IEquatable<XenRef<T>>
    where T : IXenApiRecord<T>
{
    /// <summary>The wire form of the null reference.</summary>
    public const string NullRef = "OpaqueRef:NULL";

    private readonly string? _value;

    /// <summary>Wraps an opaque reference as received from XAPI.</summary>
    public XenRef(string opaqueRef)
    {
        ArgumentNullException.ThrowIfNull(opaqueRef);
        _value = opaqueRef.Length == 0 || opaqueRef == NullRef ? null : opaqueRef;
    }

    /// <inheritdoc />
    public string OpaqueRef => _value ?? NullRef;

    /// <inheritdoc />
    public bool IsNull => _value is null;

    /// <summary>Equality of the opaque references (ordinal).</summary>
    public static bool operator ==(XenRef<T> left, XenRef<T> right) => left.Equals(right);

    /// <summary>Inequality of the opaque references (ordinal).</summary>
    public static bool operator !=(XenRef<T> left, XenRef<T> right) => !left.Equals(right);

    /// <inheritdoc />
    public bool Equals(XenRef<T> other) => string.Equals(_value, other._value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is XenRef<T> other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => _value is null ? 0 : StringComparer.Ordinal.GetHashCode(_value);

    /// <summary>The opaque reference.</summary>
    public override string ToString() => OpaqueRef;
}
