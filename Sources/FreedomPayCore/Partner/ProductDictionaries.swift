import FreedomPayWire

/// The Products dictionaries (partner-api.md §2.1–§2.5). Request, Product and Freedom POS are documented;
/// the ECOM tail, Freedom BOX and Limits are our reading [inferred].
public enum ProductDictionaries {
    public static let names = ["request", "product", "freedom_pos", "freedom_ecom", "freedom_box", "limits"]

    /// All dictionaries, or only the named one (nil when the name is unknown).
    public static func select(_ name: String?) -> PartnerDictionaries? {
        var all = PartnerDictionaries()
        let wanted = name.map { [$0] } ?? names
        guard wanted.allSatisfy(names.contains) else { return nil }
        for name in wanted {
            switch name {
            case "request": all.request = request
            case "product": all.product = ProductKind.allCases.map { PartnerDictionaryEntry(code: String($0.rawValue), name: $0.name) }
            case "freedom_pos": all.freedomPOS = freedomPOS
            case "freedom_ecom": all.freedomECOM = freedomECOM
            case "freedom_box": all.freedomBOX = freedomBOX
            default: all.limits = limits
            }
        }
        return all
    }

    static let request = [
        PartnerDictionaryEntry(code: "success", name: "processed successfully"),
        PartnerDictionaryEntry(code: "process", name: "in progress"),
        PartnerDictionaryEntry(code: "error", name: "processing error"),
    ]

    static let address = [
        ProductFieldEntry(field: "product.address", type: "object", required: true, description: "where the product is used"),
        ProductFieldEntry(field: "product.address.country", type: "string", required: true, description: "alpha-3"),
        ProductFieldEntry(field: "product.address.postal_code", type: "string", required: true, description: "postal code"),
        ProductFieldEntry(field: "product.address.address_line1", type: "string", required: true, description: "city"),
        ProductFieldEntry(field: "product.address.address_line2", type: "string", required: true, description: "street"),
        ProductFieldEntry(field: "product.address.address_line3", type: "string", required: true, description: "building / premises"),
    ]

    static let freedomPOS = [
        ProductFieldEntry(field: "product.product_id", type: "integer", required: true, description: "10001"),
        ProductFieldEntry(field: "product.mcc", type: "string", required: true, description: "merchant category code"),
        ProductFieldEntry(field: "product.currency", type: "string", required: true, description: "transaction currency"),
        ProductFieldEntry(field: "product.name", type: "string", required: true, description: "point-of-sale name shown in the softPOS app"),
        ProductFieldEntry(field: "product.descriptor", type: "string", required: true, description: "terminal descriptor, at most 24 Latin characters"),
    ] + address + [
        ProductFieldEntry(field: "product.user", type: "object", required: true, description: "cashier"),
        ProductFieldEntry(field: "product.user.name", type: "string", required: true, description: "cashier full name"),
        ProductFieldEntry(field: "product.user.email", type: "string", required: true, description: "cashier e-mail"),
        ProductFieldEntry(field: "product.user.phone", type: "string", required: true, description: "cashier phone"),
        ProductFieldEntry(field: "product.package_name", type: "string", required: true, description: "softPOS application package name"),
    ]

    static let freedomECOM = [
        ProductFieldEntry(field: "product.product_id", type: "integer", required: true, description: "20000"),
        ProductFieldEntry(field: "product.name", type: "string", required: true, description: "shop name"),
        ProductFieldEntry(field: "product.mcc", type: "string", required: true, description: "merchant category code"),
        ProductFieldEntry(field: "product.descriptor", type: "string", required: true, description: "descriptor, at most 24 Latin characters"),
        ProductFieldEntry(field: "product.merchant_url", type: "string", required: true, description: "the shop's website [inferred]"),
        ProductFieldEntry(field: "product.currency", type: "string", required: false, description: "transaction currency [inferred]"),
    ]

    static let freedomBOX = [
        ProductFieldEntry(field: "product.product_id", type: "integer", required: true, description: "11001"),
        ProductFieldEntry(field: "product.*", type: "object", required: false, description: "other fields are stored and echoed as sent [inferred]"),
    ]

    static let limits = [
        ProductLimitEntry(productID: 10001, currency: "KZT", perTransaction: "1000000", perDay: "5000000", perMonth: "50000000"),
        ProductLimitEntry(productID: 11001, currency: "KZT", perTransaction: "1000000", perDay: "5000000", perMonth: "50000000"),
        ProductLimitEntry(productID: 20000, currency: "KZT", perTransaction: "2000000", perDay: "10000000", perMonth: "100000000"),
    ]
}
