/// A wire object whose members are all strings (nil ones left out, as `encodeIfPresent` does): written straight
/// into sorted JSON by `SortedJSON.encodeFlat`, without the `Encoder` machinery. For the answers every debit
/// renders on the store's writer; `FlatJSONEncodableTests` check each conformance against `JSONEncoder`.
public protocol FlatJSONEncodable: Encodable {
    /// The members as `encode(to:)` writes them, in any order.
    var flatJSONMembers: [FlatJSONMember] { get }
}

/// One member of a flat object; a nil value is left out.
public struct FlatJSONMember: Sendable {
    public let key: String
    public let value: String?

    public init(_ key: String, _ value: String?) {
        self.key = key
        self.value = value
    }
}

extension SortedJSON {
    /// The objects' members merged into one object (a repeated key keeps its last value, as encoding both into one
    /// container does), keys in byte order, exactly as `JSONEncoder` with `.sortedKeys` writes it; nil when a value
    /// holds a control character whose escape this writer does not reproduce.
    public static func encodeFlat(_ objects: [[FlatJSONMember]], escapingSlashes: Bool = false) -> [UInt8]? {
        var members: [(key: String, value: Node)] = []
        for object in objects {
            for member in object {
                guard let value = member.value else { continue }
                guard let node = try? string(value) else { return nil }
                members.append((member.key, node))
            }
        }
        var output: [UInt8] = []
        output.reserveCapacity(128)
        writeObject(members, escapingSlashes: escapingSlashes, into: &output)
        return output
    }
}

extension CardAPIStatusResponse: FlatJSONEncodable {
    public var flatJSONMembers: [FlatJSONMember] {
        [.init("status", status), .init("request_status", requestStatus.rawValue), .init("dt", dt),
         .init("error_code", errorCode), .init("error_description", errorDescription)]
    }
}

extension CreateTransactionAnswer: FlatJSONEncodable {
    public var flatJSONMembers: [FlatJSONMember] { [.init("transaction_id", transactionID)] }
}
