namespace Interactions.Resilience.Classification.Internal;

/// <summary>The fields of Meta's error shape, inside <c>error</c>, that the body reader keeps beyond the code and message.</summary>
internal enum MetaField
{
    None,
    Type,
    TraceId,
    ErrorData,
}
