import Foundation

/// Form / query-string encoding of Merchant API parameters with the docs' bracket notation
/// (`pg_receipt_positions[0][name]=Mouse pad`), kept in the order received.
public enum PGForm {
    /// Parses `application/x-www-form-urlencoded` (or a raw query string) into an ordered parameter tree.
    public static func parse(urlEncoded text: String) -> [PGParameter] {
        var pairs: [(path: [String], value: String)] = []
        for field in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = field.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = decodeComponent(String(parts[0]))
            let value = parts.count > 1 ? decodeComponent(String(parts[1])) : ""
            pairs.append((path(of: name), value))
        }
        return build(pairs)
    }

    /// Builds a tree from already-decoded `name=value` fields (e.g. from multipart/form-data).
    public static func parameters(fields: [(name: String, value: String)]) -> [PGParameter] {
        build(fields.map { (path(of: $0.name), $0.value) })
    }

    /// Encodes parameters as `application/x-www-form-urlencoded`, nested values in bracket notation.
    public static func encode(_ parameters: [PGParameter]) -> String {
        var fields: [String] = []
        func walk(_ items: [PGParameter], prefix: String?) {
            for item in items {
                let name = prefix.map { "\($0)[\(item.name)]" } ?? item.name
                switch item.value {
                case .text(let text): fields.append(encodeComponent(name) + "=" + encodeComponent(text))
                case .nested(let children): walk(children, prefix: name)
                }
            }
        }
        walk(parameters, prefix: nil)
        return fields.joined(separator: "&")
    }

    /// Flat lookup of a top-level leaf value.
    public static func value(_ name: String, in parameters: [PGParameter]) -> String? {
        for parameter in parameters where parameter.name == name {
            if case .text(let text) = parameter.value { return text }
        }
        return nil
    }

    static func path(of name: String) -> [String] {
        guard let open = name.firstIndex(of: "["), name.hasSuffix("]") else { return [name] }
        var path = [String(name[..<open])]
        let rest = name[open...].dropFirst().dropLast()
        path.append(contentsOf: rest.components(separatedBy: "]["))
        return path
    }

    private static func build(_ pairs: [(path: [String], value: String)]) -> [PGParameter] {
        var result: [PGParameter] = []
        for pair in pairs { insert(pair.value, at: pair.path[...], into: &result) }
        return result
    }

    private static func insert(_ value: String, at path: ArraySlice<String>, into list: inout [PGParameter]) {
        guard let head = path.first else { return }
        if path.count == 1 {
            list.append(PGParameter(head, .text(value)))
            return
        }
        if let index = list.lastIndex(where: { $0.name == head }), case .nested(var children) = list[index].value {
            insert(value, at: path.dropFirst(), into: &children)
            list[index].value = .nested(children)
        } else {
            var children: [PGParameter] = []
            insert(value, at: path.dropFirst(), into: &children)
            list.append(PGParameter(head, .nested(children)))
        }
    }

    static func decodeComponent(_ text: String) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    static func encodeComponent(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
