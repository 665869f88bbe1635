using System.Buffers;
using System.Net;
using System.Net.Http.Headers;

namespace Knocknoc.Entra.Sdk.Graph.Wire;

/// <summary>
/// A JSON body held in a pooled buffer: written once, sent as many times as retries need, and returned
/// to the pool when the request is disposed.
/// </summary>
internal sealed class PooledJsonContent : HttpContent
{
    private byte[]? _buffer;
    private readonly int _length;

    public PooledJsonContent(byte[] rentedBuffer, int length)
    {
        _buffer = rentedBuffer;
        _length = length;
        Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
    }

    public ReadOnlyMemory<byte> Body => (_buffer ?? throw new ObjectDisposedException(nameof(PooledJsonContent))).AsMemory(0, _length);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
        stream.WriteAsync(Body, cancellationToken).AsTask();

    protected override void SerializeToStream(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
        stream.Write(Body.Span);

    protected override bool TryComputeLength(out long length)
    {
        length = _length;
        return true;
    }

    protected override void Dispose(bool disposing)
    {
        var buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        base.Dispose(disposing);
    }
}
