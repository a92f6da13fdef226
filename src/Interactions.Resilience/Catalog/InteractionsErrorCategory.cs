namespace Interactions.Resilience;

/// <summary>
/// The vendor's groups of error codes. A code's category is its first two digits, except
/// <c>031</c> (<see cref="Template"/>) and <c>032</c> (<see cref="Media"/>).
/// </summary>
public enum InteractionsErrorCategory
{
    /// <summary>General errors, codes 010001–010006.</summary>
    General = 1,

    /// <summary>Authentication errors, codes 020001–020008.</summary>
    Authentication = 2,

    /// <summary>API call errors, codes 030001–030005.</summary>
    Api = 3,

    /// <summary>Template errors, codes 031001–031006.</summary>
    Template = 31,

    /// <summary>Media errors, codes 032001–032002.</summary>
    Media = 32,

    /// <summary>Permission errors, codes 040001–040003.</summary>
    Permissions = 4,

    /// <summary>Vendor account errors, codes 050001–050002.</summary>
    Vendor = 5,

    /// <summary>Server errors, codes 060001–060004.</summary>
    Server = 6,

    /// <summary>Payment errors, code 070001.</summary>
    Payment = 7,

    /// <summary>Errors the vendor does not name, code 080001.</summary>
    Unknown = 8,
}
