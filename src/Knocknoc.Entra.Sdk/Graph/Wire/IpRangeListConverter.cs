using System.Buffers;
using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using Knocknoc.Entra.Sdk.CidrAlgebra;

namespace Knocknoc.Entra.Sdk.Graph.Wire;

/// <summary>
/// Reads <c>ipRanges</c> straight from UTF-8 into <see cref="Cidr"/> values: no string and no object per range,
/// which is what keeps a 2,000-range read cheap. Reads what people type in the portal (lenient); a range that is
/// not a CIDR even then is a <see cref="JsonException"/>, reported as ENTRA054.
/// </summary>
internal sealed class IpRangeListConverter : JsonConverter<ImmutableArray<Cidr>?>
{
    /// <summary>Far beyond Entra's 2,000, yet bounded: a hostile body cannot make the reader grow without end.</summary>
    private const int MaxRanges = 65_536;

    private static ReadOnlySpan<byte> CidrAddress => "cidrAddress"u8;

    public override ImmutableArray<Cidr>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        Expect(ref reader, JsonTokenType.StartArray);

        // Collected in a pooled buffer so the only allocation is the exact-size result.
        var ranges = ArrayPool<Cidr>.Shared.Rent(64);
        var count = 0;
        try
        {
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (count == MaxRanges)
                {
                    throw new JsonException($"ipRanges holds more than {MaxRanges} entries.");
                }

                if (count == ranges.Length)
                {
                    var larger = ArrayPool<Cidr>.Shared.Rent(count * 2);
                    ranges.AsSpan(0, count).CopyTo(larger);
                    ArrayPool<Cidr>.Shared.Return(ranges);
                    ranges = larger;
                }

                ranges[count++] = ReadRange(ref reader);
            }

            return ImmutableArray.Create(ranges.AsSpan(0, count));
        }
        finally
        {
            ArrayPool<Cidr>.Shared.Return(ranges);
        }
    }

    public override void Write(Utf8JsonWriter writer, ImmutableArray<Cidr>? value, JsonSerializerOptions options) =>
        throw new NotSupportedException("Range lists are written by GraphRequestBodies, which also writes each range's @odata.type.");

    private static Cidr ReadRange(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.StartObject);
        Cidr? range = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var isAddress = reader.ValueTextEquals(CidrAddress);
            reader.Read();
            if (isAddress)
            {
                range = ReadCidr(ref reader);
            }
            else if (!reader.TrySkip())
            {
                // A converter sees its whole value buffered, but not the end of the body: Skip() refuses any reader
                // that is not on the final block (a page of several large locations read from a stream), TrySkip does not.
                throw new JsonException("An ipRanges entry is cut short.");
            }
        }

        return range ?? throw new JsonException("An ipRanges entry has no cidrAddress.");
    }

    private static Cidr ReadCidr(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.String);
        var length = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
        if (length > CidrParser.MaxInputLength)
        {
            throw new JsonException("An ipRanges entry's cidrAddress is too long to be a CIDR.");
        }

        Span<byte> buffer = stackalloc byte[CidrParser.MaxInputLength];
        var text = reader.HasValueSequence || reader.ValueIsEscaped
            ? buffer[..reader.CopyString(buffer)]
            : reader.ValueSpan;
        return Cidr.TryParseLenient(text, out var cidr, out _)
            ? cidr
            : throw new JsonException("An ipRanges entry's cidrAddress is not a CIDR.");
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
    {
        if (reader.TokenType != type)
        {
            throw new JsonException($"Expected {type} in ipRanges, found {reader.TokenType}.");
        }
    }
}
