import Foundation

/// `POST /v5/partner/wallet/add` (§3.9); `identifier` is optional, we generate one when absent.
public struct WalletAddRequest: Codable, Sendable, Equatable {
    public var requestID: String
    public var country: String
    public var currency: String
    public var identifier: String?

    public init(requestID: String, country: String, currency: String, identifier: String? = nil) {
        self.requestID = requestID
        self.country = country
        self.currency = currency
        self.identifier = identifier
    }

    enum CodingKeys: String, CodingKey {
        case requestID = "request_id"
        case country, currency, identifier
    }
}

/// Block (§3.13) and Close (§3.12, [inferred]): the reason is required.
public struct WalletStateChangeRequest: Codable, Sendable, Equatable {
    public var requestID: String
    public var identifier: String
    public var description: String

    public init(requestID: String, identifier: String, description: String) {
        self.requestID = requestID
        self.identifier = identifier
        self.description = description
    }

    enum CodingKeys: String, CodingKey {
        case requestID = "request_id"
        case identifier, description
    }
}

/// Info and Balance [inferred]: the wallet only.
public struct WalletLookupRequest: Codable, Sendable, Equatable {
    public var identifier: String
    public init(identifier: String) { self.identifier = identifier }
}

public struct WalletOwnerDocument: Codable, Sendable, Equatable {
    public var type: String
    public var number: String
    public var issueDate: String
    public var expiryDate: String?

    public init(type: String, number: String, issueDate: String, expiryDate: String? = nil) {
        self.type = type
        self.number = number
        self.issueDate = issueDate
        self.expiryDate = expiryDate
    }

    enum CodingKeys: String, CodingKey {
        case type, number
        case issueDate = "issue_date"
        case expiryDate = "expiry_date"
    }
}

public struct WalletOwner: Codable, Sendable, Equatable {
    public var firstName: String
    public var lastName: String
    public var middleName: String?
    public var iin: String
    public var birthdate: String
    public var document: WalletOwnerDocument

    public init(firstName: String, lastName: String, middleName: String? = nil, iin: String, birthdate: String, document: WalletOwnerDocument) {
        self.firstName = firstName
        self.lastName = lastName
        self.middleName = middleName
        self.iin = iin
        self.birthdate = birthdate
        self.document = document
    }

    enum CodingKeys: String, CodingKey {
        case firstName = "first_name"
        case lastName = "last_name"
        case middleName = "middle_name"
        case iin, birthdate, document
    }
}

/// `POST /v5/partner/wallet/identification` [inferred] (§3.10).
public struct WalletIdentificationRequest: Codable, Sendable, Equatable {
    public var requestID: String
    public var identifier: String
    public var owner: WalletOwner

    public init(requestID: String, identifier: String, owner: WalletOwner) {
        self.requestID = requestID
        self.identifier = identifier
        self.owner = owner
    }

    enum CodingKeys: String, CodingKey {
        case requestID = "request_id"
        case identifier, owner
    }
}

/// `POST /v5/partner/wallet/statement` (§3.15): no `request_id`; dates are RFC 3339.
public struct WalletStatementRequest: Codable, Sendable, Equatable {
    public var identifier: String
    public var startDate: String?
    public var endDate: String?

    public init(identifier: String, startDate: String? = nil, endDate: String? = nil) {
        self.identifier = identifier
        self.startDate = startDate
        self.endDate = endDate
    }

    enum CodingKeys: String, CodingKey {
        case identifier
        case startDate = "start_date"
        case endDate = "end_date"
    }
}

public struct WalletCorrespondent: Codable, Sendable, Equatable {
    public var name: String
    public var accountNumber: String

    public init(name: String, accountNumber: String) {
        self.name = name
        self.accountNumber = accountNumber
    }

    enum CodingKeys: String, CodingKey {
        case name
        case accountNumber = "account_number"
    }
}

/// Money into or out of a wallet [inferred sandbox routes `wallet/topup`, `wallet/withdraw`, `wallet/transfer`].
/// `amount` is a JSON number in major units, read exactly; `to_identifier` only for transfers.
public struct WalletMoneyRequest: Codable, Sendable, Equatable {
    public var requestID: String
    public var identifier: String
    public var amount: Decimal
    public var toIdentifier: String?
    public var correspondent: WalletCorrespondent?

    public init(requestID: String, identifier: String, amount: Decimal, toIdentifier: String? = nil, correspondent: WalletCorrespondent? = nil) {
        self.requestID = requestID
        self.identifier = identifier
        self.amount = amount
        self.toIdentifier = toIdentifier
        self.correspondent = correspondent
    }

    enum CodingKeys: String, CodingKey {
        case requestID = "request_id"
        case identifier, amount
        case toIdentifier = "to_identifier"
        case correspondent
    }
}

public struct WalletInfo: Codable, Sendable, Equatable {
    public var identifier: String
    public var country: String
    public var currency: String
    /// `active`, `blocked` or `closed`.
    public var state: String
    public var identified: Bool
    public var createdAt: String

    public init(identifier: String, country: String, currency: String, state: String, identified: Bool, createdAt: String) {
        self.identifier = identifier
        self.country = country
        self.currency = currency
        self.state = state
        self.identified = identified
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case identifier, country, currency, state, identified
        case createdAt = "created_at"
    }
}

/// One statement line (§3.15); `amount` is signed from the wallet's side (outflows negative) [inferred].
public struct WalletOperation: Codable, Sendable, Equatable {
    public var type: String
    public var amount: Decimal
    public var commission: Decimal
    public var currency: String
    public var datetime: String
    public var rrn: String
    public var correspondent: WalletCorrespondent

    public init(type: String, amount: Decimal, commission: Decimal, currency: String, datetime: String, rrn: String, correspondent: WalletCorrespondent) {
        self.type = type
        self.amount = amount
        self.commission = commission
        self.currency = currency
        self.datetime = datetime
        self.rrn = rrn
        self.correspondent = correspondent
    }
}

/// Every E-Money answer: the envelope (`status`, `request_status` as `"0"|"1"|"2"`, `dt`) plus what the
/// route returns (`identifier`, `wallet`, `balance` + `currency`, `operations`, error fields).
/// The server leaves the envelope fields nil; its envelope writes them.
public struct EMoneyResponse: Codable, Sendable, Equatable {
    public var status: String?
    public var requestStatus: EMoneyRequestStatus?
    public var identifier: String?
    public var wallet: WalletInfo?
    public var balance: Decimal?
    public var currency: String?
    public var operations: [WalletOperation]?
    public var rrn: String?
    public var errorCode: String?
    public var errorDescription: String?
    public var dt: String?

    public init(
        identifier: String? = nil, wallet: WalletInfo? = nil, balance: Decimal? = nil, currency: String? = nil,
        operations: [WalletOperation]? = nil, rrn: String? = nil, errorCode: String? = nil, errorDescription: String? = nil
    ) {
        self.identifier = identifier
        self.wallet = wallet
        self.balance = balance
        self.currency = currency
        self.operations = operations
        self.rrn = rrn
        self.errorCode = errorCode
        self.errorDescription = errorDescription
    }

    enum CodingKeys: String, CodingKey {
        case status
        case requestStatus = "request_status"
        case identifier, wallet, balance, currency, operations, rrn
        case errorCode = "error_code"
        case errorDescription = "error_description"
        case dt
    }
}
