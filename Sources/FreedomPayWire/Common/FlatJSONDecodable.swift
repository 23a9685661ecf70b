/// A request body with a byte-level fast path: every debit's body is decoded, and `JSONDecoder` took ~3.6 µs of CPU
/// for it against ~1.9 µs for the flat parser (`freedompay-bench debit-steps`, BENCHMARKS.md session 6).
///
/// `decodeFlat` returns a value only where `JSONDecoder` would decode the same one: the body is a flat object of
/// plain strings (no escapes, no control characters, no duplicate keys, nothing after it; `FlatStringObject`)
/// holding every required field as a string. Anything else (a number or null value, a missing field, an escape,
/// a nested value) returns nil and the caller decodes with `JSONDecoder`, which stays the definition of what is
/// accepted and of every error message. Unknown keys are ignored, as `JSONDecoder` ignores them.
public protocol FlatJSONDecodable: Decodable {
    static func decodeFlat(_ bytes: [UInt8]) -> Self?
}

extension CreateTransactionRequest: FlatJSONDecodable {
    public static func decodeFlat(_ bytes: [UInt8]) -> CreateTransactionRequest? {
        guard let fields = bytes.withUnsafeBufferPointer({ FlatStringObject.parse($0) }),
              let requestID = fields["request_id"], let orderID = fields["order_id"], let cardID = fields["card_id"],
              let type = fields["type"], let amount = fields["amount"], let currency = fields["currency"] else { return nil }
        // A string amount decodes to its text exactly (`WireDecimal.init(from:)` tries a string first).
        return CreateTransactionRequest(
            requestID: requestID, orderID: orderID, cardID: cardID, type: type, amount: WireDecimal(amount), currency: currency,
            description: fields["description"])
    }
}
