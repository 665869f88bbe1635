using System.Buffers;
using System.Text.Json;
using Knocknoc.Entra.Sdk.CidrAlgebra;

namespace Knocknoc.Entra.Sdk.Graph.Wire;

/// <summary>
/// Writes request bodies straight into pooled UTF-8 buffers. A PATCH carries the location's
/// <c>@odata.type</c>, every range's own <c>@odata.type</c>, and <c>ipRanges</c> only: Graph replaces
/// <c>ipRanges</c> as a whole and leaves everything not sent as it was.
/// </summary>
internal static class GraphRequestBodies
{
    private const int BytesPerRangeEstimate = 96;

    private static readonly JsonEncodedText ODataType = JsonEncodedText.Encode("@odata.type");
    private static readonly JsonEncodedText IpNamedLocationType = JsonEncodedText.Encode("#microsoft.graph.ipNamedLocation");
    private static readonly JsonEncodedText IPv4RangeType = JsonEncodedText.Encode("#microsoft.graph.iPv4CidrRange");
    private static readonly JsonEncodedText IPv6RangeType = JsonEncodedText.Encode("#microsoft.graph.iPv6CidrRange");
    private static readonly JsonEncodedText IpRanges = JsonEncodedText.Encode("ipRanges");
    private static readonly JsonEncodedText CidrAddress = JsonEncodedText.Encode("cidrAddress");
    private static readonly JsonEncodedText DisplayName = JsonEncodedText.Encode("displayName");
    private static readonly JsonEncodedText IsTrusted = JsonEncodedText.Encode("isTrusted");

    public static PooledJsonContent UpdateIpRanges(IReadOnlyCollection<Cidr> ranges) =>
        Write(ranges.Count, ranges, static (writer, ranges) => WriteRanges(writer, ranges));

    public static PooledJsonContent CreateIpNamedLocation(string displayName, bool isTrusted, IReadOnlyCollection<Cidr> ranges) =>
        Write(ranges.Count, (displayName, isTrusted, ranges), static (writer, state) =>
        {
            writer.WriteString(DisplayName, state.displayName);
            writer.WriteBoolean(IsTrusted, state.isTrusted);
            WriteRanges(writer, state.ranges);
        });

    private static PooledJsonContent Write<TState>(int rangeCount, TState state, Action<Utf8JsonWriter, TState> writeProperties)
    {
        var buffer = new PooledBufferWriter(256 + (rangeCount * BytesPerRangeEstimate));
        try
        {
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true }))
            {
                writer.WriteStartObject();
                writer.WriteString(ODataType, IpNamedLocationType);
                writeProperties(writer, state);
                writer.WriteEndObject();
            }

            return buffer.DetachAsContent();
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
    }

    private static void WriteRanges(Utf8JsonWriter writer, IReadOnlyCollection<Cidr> ranges)
    {
        Span<byte> text = stackalloc byte[CidrFormatter.MaxFormattedLength];
        writer.WriteStartArray(IpRanges);
        foreach (var range in ranges)
        {
            range.TryFormat(text, out var length);
            writer.WriteStartObject();
            writer.WriteString(ODataType, range.IsIPv6 ? IPv6RangeType : IPv4RangeType);
            writer.WriteString(CidrAddress, text[..length]);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    /// <summary>An <see cref="IBufferWriter{T}"/> over one rented array, grown by renting a larger one.</summary>
    private sealed class PooledBufferWriter(int initialCapacity) : IBufferWriter<byte>, IDisposable
    {
        private byte[]? _buffer = ArrayPool<byte>.Shared.Rent(initialCapacity);
        private int _written;

        public void Advance(int count) => _written += count;

        public Memory<byte> GetMemory(int sizeHint = 0) => Ensure(sizeHint).AsMemory(_written);

        public Span<byte> GetSpan(int sizeHint = 0) => Ensure(sizeHint).AsSpan(_written);

        public PooledJsonContent DetachAsContent()
        {
            var content = new PooledJsonContent(_buffer!, _written);
            _buffer = null;
            return content;
        }

        public void Dispose()
        {
            if (_buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = null;
            }
        }

        private byte[] Ensure(int sizeHint)
        {
            var buffer = _buffer!;
            if (buffer.Length - _written >= Math.Max(sizeHint, 1))
            {
                return buffer;
            }

            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(buffer.Length * 2, _written + sizeHint));
            buffer.AsSpan(0, _written).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(buffer);
            _buffer = larger;
            return larger;
        }
    }
}
