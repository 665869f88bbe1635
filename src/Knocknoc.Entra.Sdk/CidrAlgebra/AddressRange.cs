using System.Numerics;

namespace Knocknoc.Entra.Sdk.CidrAlgebra;

/// <summary>An inclusive range of addresses of one family: <see cref="uint"/> for IPv4, <see cref="UInt128"/> for IPv6.</summary>
internal readonly record struct AddressRange<T>(T First, T Last)
    where T : unmanaged, IBinaryInteger<T>, IUnsignedNumber<T>, IMinMaxValue<T>;
