import Crypto

/// One Merchant API parameter value: a leaf string or an ordered list of named children
/// (bracket notation `a[0][name]` in forms, nested elements in `pg_xml`).
public indirect enum PGValue: Sendable, Equatable {
    case text(String)
    case nested([PGParameter])
}

public struct PGParameter: Sendable, Equatable {
    public var name: String
    public var value: PGValue

    public init(_ name: String, _ value: PGValue) {
        self.name = name
        self.value = value
    }

    public init(_ name: String, _ text: String) {
        self.init(name, .text(text))
    }
}

/// The `pg_sig` scheme: md5 over `script;values sorted by name;secret`.
///
/// The docs' PHP helper flattens nested names as `parent + key + %03d(position)` and sorts the flat names;
/// PHP's recursive `ksort` sorts integer keys numerically. Both agree for arrays of up to ten elements, so
/// clients sign with the docs' order and the verifier accepts any of the three orders.
public enum PGSignature {
    public enum Ordering: CaseIterable, Sendable {
        case docsHelper
        case recursiveByteOrder
        case recursiveNumeric
    }

    /// Last path segment of a URL or path, without query: what the docs call the script name.
    public static func scriptName(of urlOrPath: String) -> String {
        var path = Substring(urlOrPath)
        if let query = path.firstIndex(where: { $0 == "?" || $0 == "#" }) { path = path[..<query] }
        if let slash = path.lastIndex(of: "/") { return String(path[path.index(after: slash)...]) }
        return String(path)
    }

    /// The exact string that is hashed (useful for debugging a signature mismatch; it contains the secret).
    public static func signingString(
        script: String, parameters: [PGParameter], secret: String, ordering: Ordering = .docsHelper
    ) -> String {
        let values = orderedValues(parameters.filter { $0.name != "pg_sig" }, ordering: ordering)
        return ([script] + values + [secret]).joined(separator: ";")
    }

    public static func sign(
        script: String, parameters: [PGParameter], secret: String, ordering: Ordering = .docsHelper
    ) -> String {
        let input = signingString(script: script, parameters: parameters, secret: secret, ordering: ordering)
        return Hex.encode(Insecure.MD5.hash(data: Array(input.utf8)))
    }

    /// Constant-time check of `signature` (case-insensitive hex) under every accepted ordering.
    public static func verify(script: String, parameters: [PGParameter], secret: String, signature: String) -> Bool {
        let received = Array(signature.lowercased().utf8)
        var valid = false
        for ordering in Ordering.allCases {
            let expected = Array(sign(script: script, parameters: parameters, secret: secret, ordering: ordering).utf8)
            valid = ConstantTime.equals(expected, received) || valid
        }
        return valid
    }

    static func orderedValues(_ parameters: [PGParameter], ordering: Ordering) -> [String] {
        switch ordering {
        case .docsHelper:
            var flat: [(name: [UInt8], value: String)] = []
            flatten(parameters, parent: "", into: &flat)
            return flat.enumerated()
                .sorted { lhs, rhs in
                    lhs.element.name == rhs.element.name
                        ? lhs.offset < rhs.offset
                        : lhs.element.name.lexicographicallyPrecedes(rhs.element.name)
                }
                .map(\.element.value)
        case .recursiveByteOrder, .recursiveNumeric:
            var out: [String] = []
            appendSorted(parameters, numeric: ordering == .recursiveNumeric, into: &out)
            return out
        }
    }

    private static func flatten(_ parameters: [PGParameter], parent: String, into flat: inout [(name: [UInt8], value: String)]) {
        for (index, parameter) in parameters.enumerated() {
            let position = String(index + 1)
            let name = parent + parameter.name + String(repeating: "0", count: max(0, 3 - position.count)) + position
            switch parameter.value {
            case .text(let text): flat.append((Array(name.utf8), text))
            case .nested(let children): flatten(children, parent: name, into: &flat)
            }
        }
    }

    private static func appendSorted(_ parameters: [PGParameter], numeric: Bool, into out: inout [String]) {
        let sorted = parameters.enumerated().sorted { lhs, rhs in
            let left = lhs.element.name, right = rhs.element.name
            if numeric, let leftNumber = Int(left), let rightNumber = Int(right), leftNumber != rightNumber {
                return leftNumber < rightNumber
            }
            if left == right { return lhs.offset < rhs.offset }
            return Array(left.utf8).lexicographicallyPrecedes(Array(right.utf8))
        }
        for (_, parameter) in sorted {
            switch parameter.value {
            case .text(let text): out.append(text)
            case .nested(let children): appendSorted(children, numeric: numeric, into: &out)
            }
        }
    }
}
