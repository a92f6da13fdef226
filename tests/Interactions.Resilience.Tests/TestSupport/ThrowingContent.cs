using System.Net;

namespace Interactions.Resilience.Tests.TestSupport;

/// <summary>Content that fails the test if anybody reads it.</summary>
internal sealed class ThrowingContent : HttpContent
{
    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        => throw new InvalidOperationException("The body was read.");

    protected override Task<Stream> CreateContentReadStreamAsync()
        => throw new InvalidOperationException("The body was read.");

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
