import Foundation
import FreedomPayWire

/// Ids of the Products group, distinct from Card API clients.
public struct PartnerClientID: TypedID {
    public let rawValue: Int64
    public init(rawValue: Int64) { self.rawValue = rawValue }
}

public struct PartnerUserID: TypedID {
    public let rawValue: Int64
    public init(rawValue: Int64) { self.rawValue = rawValue }
}

/// The product dictionary (§2.2).
public enum ProductKind: Int, Sendable, CaseIterable {
    case freedomPOS = 10001
    case freedomBOX = 11001
    case freedomECOM = 20000

    public var name: String {
        switch self {
        case .freedomPOS: return "Freedom Pos"
        case .freedomBOX: return "Freedom Box"
        case .freedomECOM: return "Freedom Ecom"
        }
    }
}

/// Why onboarding data was refused; the message names the field (answered as 1001).
public struct ProductProblem: Error, Sendable, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
}

/// Validation of the Products bodies beyond JSON types (§2.3–§2.5, §3.3–§3.4).
public enum ProductRules {
    public static func validate(company: PartnerCompany) throws(ProductProblem) {
        try nonEmpty(company.name, "company.name")
        guard company.bin.value.count == 12, company.bin.value.allSatisfy(\.isPlainDigit) else {
            throw ProductProblem("field 'company.bin' must be 12 digits")
        }
        try validate(address: company.address, path: "company.address")
    }

    public static func validate(person: PartnerPerson, path: String) throws(ProductProblem) {
        try nonEmpty(person.firstName, "\(path).first_name")
        try nonEmpty(person.lastName, "\(path).last_name")
        try phone(person.phone.value, "\(path).phone")
        try email(person.email, "\(path).email")
    }

    public static func validate(address: PartnerAddress, path: String) throws(ProductProblem) {
        let country = address.country
        guard (country.count == 2 || country.count == 3), country.allSatisfy({ $0.isASCII && $0.isUppercase }) else {
            throw ProductProblem("field '\(path).country' must be an alpha-3 (or alpha-2) country code")
        }
        try nonEmpty(address.postalCode, "\(path).postal_code")
        try nonEmpty(address.addressLine1, "\(path).address_line1")
        try nonEmpty(address.addressLine2, "\(path).address_line2")
        try nonEmpty(address.addressLine3, "\(path).address_line3")
    }

    /// Checks a product object by its `product_id`; Freedom BOX is opaque (only `product_id` is required).
    public static func validate(product: PartnerProduct, path: String = "product") throws(ProductProblem) -> ProductKind {
        guard let kind = ProductKind(rawValue: product.productID) else {
            throw ProductProblem("field '\(path).product_id' must be one of 10001, 11001, 20000")
        }
        let fields = product.fields
        switch kind {
        case .freedomPOS:
            try mcc(fields, path)
            try currency(fields["currency"], "\(path).currency", required: true)
            try text(fields["name"], "\(path).name")
            try descriptor(fields, path)
            for line in ["country", "postal_code", "address_line1", "address_line2", "address_line3"] {
                try text(fields["address"]?[line], "\(path).address.\(line)")
            }
            try text(fields["user"]?["name"], "\(path).user.name")
            try email(try text(fields["user"]?["email"], "\(path).user.email"), "\(path).user.email")
            try phone(try text(fields["user"]?["phone"], "\(path).user.phone"), "\(path).user.phone")
            try text(fields["package_name"], "\(path).package_name")
        case .freedomECOM:
            try text(fields["name"], "\(path).name")
            try mcc(fields, path)
            try descriptor(fields, path)
            let url = try text(fields["merchant_url"], "\(path).merchant_url")
            guard url.hasPrefix("https://") || url.hasPrefix("http://") else {
                throw ProductProblem("field '\(path).merchant_url' must be an http(s) URL")
            }
            try currency(fields["currency"], "\(path).currency", required: false)
        case .freedomBOX:
            break
        }
        return kind
    }

    @discardableResult
    static func text(_ value: PartnerJSONValue?, _ path: String) throws(ProductProblem) -> String {
        guard let value else { throw ProductProblem("field '\(path)' is required") }
        guard case .string(let text) = value else { throw ProductProblem("field '\(path)' must be a string") }
        try nonEmpty(text, path)
        return text
    }

    static func mcc(_ fields: PartnerJSONValue, _ path: String) throws(ProductProblem) {
        let code = try text(fields["mcc"], "\(path).mcc")
        guard code.count == 4, code.allSatisfy(\.isPlainDigit) else { throw ProductProblem("field '\(path).mcc' must be 4 digits") }
    }

    static func descriptor(_ fields: PartnerJSONValue, _ path: String) throws(ProductProblem) {
        let value = try text(fields["descriptor"], "\(path).descriptor")
        guard value.count <= 24, value.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F }) else {
            throw ProductProblem("field '\(path).descriptor' must be at most 24 Latin characters")
        }
    }

    static func currency(_ value: PartnerJSONValue?, _ path: String, required: Bool) throws(ProductProblem) {
        if value == nil, !required { return }
        let code = try text(value, path)
        guard code.count == 3, code.allSatisfy({ $0.isASCII && $0.isUppercase }) else {
            throw ProductProblem("field '\(path)' must be an ISO-4217 alpha-3 code")
        }
    }

    static func nonEmpty(_ value: String, _ path: String) throws(ProductProblem) {
        guard !value.trimmingCharacters(in: .whitespaces).isEmpty else { throw ProductProblem("field '\(path)' must not be empty") }
        guard value.count <= 255 else { throw ProductProblem("field '\(path)' must be at most 255 characters") }
    }

    static func phone(_ value: String, _ path: String) throws(ProductProblem) {
        guard (10...15).contains(value.count), value.allSatisfy(\.isPlainDigit) else {
            throw ProductProblem("field '\(path)' must be 10 to 15 digits with the country code")
        }
    }

    static func email(_ value: String, _ path: String) throws(ProductProblem) {
        let parts = value.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains(".") else {
            throw ProductProblem("field '\(path)' must be an e-mail address")
        }
    }
}

fileprivate extension Character {
    var isPlainDigit: Bool { isASCII && isNumber }
}
