import Foundation
import FreedomPayWire

/// Field checks of Merchant API requests, each failure naming the field and the rule it broke.
public struct FieldRules: Sendable {
    let parameters: [PGParameter]

    public init(_ parameters: [PGParameter]) { self.parameters = parameters }

    public func value(_ name: String) -> String? { parameters.value(name) }

    static func invalid(_ message: String) -> PurchaseRuleViolation { PurchaseRuleViolation(.invalidParameter, message) }

    public func text(_ name: String, required: Bool = false, maxLength: Int, allowEmpty: Bool = false) throws(PurchaseRuleViolation) -> String? {
        guard let text = value(name) else {
            if required { throw Self.invalid("\(name) is required") }
            return nil
        }
        if text.isEmpty, !allowEmpty { throw Self.invalid("\(name) must not be empty") }
        if text.count > maxLength { throw Self.invalid("\(name) must be at most \(maxLength) characters") }
        return text
    }

    /// An amount `0.01`..`99999999` with at most two decimals, in minor units.
    public func amount(_ name: String, required: Bool = false) throws(PurchaseRuleViolation) -> Int64? {
        guard let text = value(name) else {
            if required { throw Self.invalid("\(name) is required") }
            return nil
        }
        switch PGAmount.parseInRange(text) {
        case .success(let minor): return minor
        case .failure(.notANumber): throw Self.invalid("\(name) must be a decimal number with '.' as separator, e.g. 1500 or 10.50")
        case .failure(.tooManyDecimals): throw Self.invalid("\(name) must have at most 2 decimal places")
        case .failure(.outOfRange): throw Self.invalid("\(name) must be between 0.01 and 99999999")
        }
    }

    public func integer(_ name: String, in range: ClosedRange<Int>) throws(PurchaseRuleViolation) -> Int? {
        guard let text = value(name) else { return nil }
        guard let number = Int(text), range.contains(number) else {
            throw Self.invalid("\(name) must be an integer between \(range.lowerBound) and \(range.upperBound)")
        }
        return number
    }

    public func flag(_ name: String) throws(PurchaseRuleViolation) -> Bool? {
        guard let text = value(name) else { return nil }
        guard text == "0" || text == "1" else { throw Self.invalid("\(name) must be 0 or 1") }
        return text == "1"
    }

    public func oneOf(_ name: String, _ allowed: Set<String>) throws(PurchaseRuleViolation) -> String? {
        guard let text = value(name) else { return nil }
        guard allowed.contains(text) else { throw Self.invalid("\(name) must be one of \(allowed.sorted().joined(separator: ", "))") }
        return text
    }

    public func pattern(_ name: String, maxLength: Int, allowed: (Character) -> Bool, rule: String, minLength: Int = 1) throws(PurchaseRuleViolation) -> String? {
        guard let text = value(name) else { return nil }
        guard (minLength...maxLength).contains(text.count), text.allSatisfy(allowed) else { throw Self.invalid("\(name) must be \(rule)") }
        return text
    }

    public func email(_ name: String) throws(PurchaseRuleViolation) -> String? {
        guard let text = value(name) else { return nil }
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard text.count <= 255, parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !text.contains(" ") else {
            throw Self.invalid("\(name) must be an e-mail address")
        }
        return text
    }

    public func ipv4(_ name: String) throws(PurchaseRuleViolation) -> String? {
        guard let text = value(name) else { return nil }
        let octets = text.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4, octets.allSatisfy({ !$0.isEmpty && $0.count <= 3 && (UInt8($0) != nil) }) else {
            throw Self.invalid("\(name) must be an IPv4 address")
        }
        return text
    }

    /// An absolute http(s) URL of at most 255 characters.
    public func url(_ name: String, required: Bool = false) throws(PurchaseRuleViolation) -> String? {
        guard let text = value(name) else {
            if required { throw Self.invalid("\(name) is required") }
            return nil
        }
        guard text.count <= 255 else { throw Self.invalid("\(name) must be at most 255 characters") }
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty else {
            throw Self.invalid("\(name) must be an absolute http or https URL")
        }
        return text
    }

    /// `pg_receipt_positions[i][count|name|price|tax_type]` (§2.6).
    public func receiptPositions() throws(PurchaseRuleViolation) {
        guard let positions = parameters.first(where: { $0.name == "pg_receipt_positions" }) else { return }
        guard case .nested(let items) = positions.value, items.count <= 100 else {
            throw Self.invalid("pg_receipt_positions must be a list of at most 100 positions")
        }
        for item in items {
            guard case .nested(let fields) = item.value else { throw Self.invalid("pg_receipt_positions[\(item.name)] must have sub-fields") }
            let rules = FieldRules(fields)
            let prefix = "pg_receipt_positions[\(item.name)]"
            guard let count = rules.value("count"), let number = Int(count), number >= 1 else { throw Self.invalid("\(prefix)[count] must be an integer >= 1") }
            guard let name = rules.value("name"), !name.isEmpty else { throw Self.invalid("\(prefix)[name] is required") }
            guard let price = rules.value("price"), case .success = PGAmount.parseInRange(price) else {
                throw Self.invalid("\(prefix)[price] must be between 0.01 and 99999999 with at most 2 decimals")
            }
            guard let tax = rules.value("tax_type"), let taxType = Int(tax), (0...11).contains(taxType) else {
                throw Self.invalid("\(prefix)[tax_type] must be an integer between 0 and 11")
            }
        }
    }
}
