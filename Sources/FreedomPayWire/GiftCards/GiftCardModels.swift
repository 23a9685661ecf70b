import Foundation

/// Gift-card request status codes (card-api.md §5.2): `0` success, negative values are errors.
public enum GiftStatusCode: Int, Codable, Sendable, CaseIterable {
    case success = 0
    case generalError = -1
    case invalidCardholderName = -2
    case invalidPhone = -3
    case unknownProduct = -4
    case issueFailed = -5
    case insufficientFunds = -6
    case cardNotFound = -7
    case wrongCode = -8
    case activationFailed = -9
    case alreadyActivated = -10
    case accessDenied = -11
}

/// Gift card status (`card_status`, card-api.md §2.6).
public enum GiftCardStatusCode: Int, Codable, Sendable, CaseIterable {
    case unknown = 0
    case issued = 1
    case activated = 2
    case canceled = 3
    case blocked = 4
    case expired = 5
}

/// The gift-card answer envelope: `datetime` (`YYYY-MM-DD hh:mm:ss`) and an integer `status`.
/// `error_description` is our addition on errors so a caller sees why ([inferred]).
public struct GiftErrorResponse: Codable, Sendable, Equatable {
    public var datetime: String
    public var status: GiftStatusCode
    public var errorDescription: String

    public init(datetime: String, status: GiftStatusCode, errorDescription: String) {
        self.datetime = datetime
        self.status = status
        self.errorDescription = errorDescription
    }

    enum CodingKeys: String, CodingKey {
        case datetime, status
        case errorDescription = "error_description"
    }
}

public struct GiftProduct: Codable, Sendable, Equatable {
    public var code: Int
    public var name: String
    public var nameEN: String
    public var currency: String
    public var balance: WireDecimal
    public var image: String

    public init(code: Int, name: String, nameEN: String, currency: String, balance: WireDecimal, image: String) {
        self.code = code
        self.name = name
        self.nameEN = nameEN
        self.currency = currency
        self.balance = balance
        self.image = image
    }

    enum CodingKeys: String, CodingKey {
        case code, name
        case nameEN = "name_en"
        case currency, balance, image
    }
}

public struct GiftProductListResponse: Codable, Sendable {
    public var datetime: String
    public var status: GiftStatusCode
    public var productList: [GiftProduct]

    enum CodingKeys: String, CodingKey {
        case datetime, status
        case productList = "product_list"
    }

    public init(datetime: String, productList: [GiftProduct]) {
        self.datetime = datetime
        self.status = .success
        self.productList = productList
    }
}

/// `POST /v5/cards/issue_card`. `phone` is an integer in the docs; a digit string is accepted too.
public struct IssueGiftCardRequest: Codable, Sendable {
    public var cardholderName: String
    public var phone: PhoneNumber
    public var productCode: Int
    public var cardID: Int64?

    public init(cardholderName: String, phone: PhoneNumber, productCode: Int, cardID: Int64? = nil) {
        self.cardholderName = cardholderName
        self.phone = phone
        self.productCode = productCode
        self.cardID = cardID
    }

    enum CodingKeys: String, CodingKey {
        case cardholderName = "cardholder_name"
        case phone
        case productCode = "product_code"
        case cardID = "card_id"
    }
}

public struct IssueGiftCardResponse: Codable, Sendable {
    public var datetime: String
    public var status: GiftStatusCode
    public var cardID: Int64

    public init(datetime: String, cardID: Int64) {
        self.datetime = datetime
        self.status = .success
        self.cardID = cardID
    }

    enum CodingKeys: String, CodingKey {
        case datetime, status
        case cardID = "card_id"
    }
}

/// `POST /v5/cards/activate_card` (Confirm).
public struct ConfirmGiftCardRequest: Codable, Sendable {
    public var otp: String
    public var cardID: Int64?

    public init(otp: String, cardID: Int64?) {
        self.otp = otp
        self.cardID = cardID
    }

    enum CodingKeys: String, CodingKey {
        case otp
        case cardID = "card_id"
    }
}

/// Body of resend, resend_code and card_status.
public struct GiftCardIDRequest: Codable, Sendable {
    public var cardID: Int64

    public init(cardID: Int64) { self.cardID = cardID }

    enum CodingKeys: String, CodingKey { case cardID = "card_id" }
}

/// Answer of Confirm and Status.
public struct GiftCardStateResponse: Codable, Sendable, Equatable {
    public var datetime: String
    public var status: GiftStatusCode
    public var cardStatus: GiftCardStatusCode
    public var cardCurrency: String
    public var cardBalance: WireDecimal
    public var cardMask: String

    public init(datetime: String, cardStatus: GiftCardStatusCode, cardCurrency: String, cardBalance: WireDecimal, cardMask: String) {
        self.datetime = datetime
        self.status = .success
        self.cardStatus = cardStatus
        self.cardCurrency = cardCurrency
        self.cardBalance = cardBalance
        self.cardMask = cardMask
    }

    enum CodingKeys: String, CodingKey {
        case datetime, status
        case cardStatus = "card_status"
        case cardCurrency = "card_currency"
        case cardBalance = "card_balance"
        case cardMask = "card_mask"
    }
}

/// Answer of resend and resend_code.
public struct GiftAcknowledgement: Codable, Sendable {
    public var datetime: String
    public var status: GiftStatusCode

    public init(datetime: String) {
        self.datetime = datetime
        self.status = .success
    }
}

/// A phone number that the docs send as a JSON integer (`79651234567`) and sometimes as a string.
public struct PhoneNumber: Codable, Sendable, Equatable, CustomStringConvertible {
    public let digits: String

    public init(_ digits: String) { self.digits = digits }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int64.self) {
            digits = String(number)
        } else {
            digits = try container.decode(String.self)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let number = Int64(digits), String(number) == digits { try container.encode(number) } else { try container.encode(digits) }
    }

    public var description: String { digits }
}
