/// Wire models of card storage, token payments and recurring payments (merchant-api.md §3.6–§3.12).

/// `cardstorage/add` answer: open `redirectURL` for the buyer to enter the card.
public struct CardStorageAddResponse: Sendable, Equatable {
    public var paymentID: String
    public var redirectURL: String

    public init(parameters: [PGParameter]) throws(PGWireError) {
        paymentID = try parameters.required("pg_payment_id")
        redirectURL = try parameters.required("pg_redirect_url")
    }
}

/// One `<card>` of `cardstorage/list`.
public struct StoredCard: Sendable, Equatable {
    public var status: String
    public var cardID: String?
    public var cardToken: String
    /// Masked PAN.
    public var cardHash: String
    public var createdAt: String?

    public init(parameters: [PGParameter]) throws(PGWireError) {
        status = try parameters.required("pg_status")
        cardID = parameters.value("pg_card_id")
        cardToken = try parameters.required("pg_card_token")
        cardHash = try parameters.required("pg_card_hash")
        createdAt = parameters.value("created_at")
    }

    /// Every `<card>` element of a list answer.
    public static func list(_ parameters: [PGParameter]) throws(PGWireError) -> [StoredCard] {
        var cards: [StoredCard] = []
        for parameter in parameters where parameter.name == "card" {
            if case .nested(let fields) = parameter.value { cards.append(try StoredCard(parameters: fields)) }
        }
        return cards
    }
}

/// `card/direct` answer: the outcome of charging a saved card without CVC.
public struct CardDirectResponse: Sendable, Equatable {
    public var paymentID: String
    public var paymentStatus: String
    public var failureCode: String?

    public init(parameters: [PGParameter]) throws(PGWireError) {
        paymentID = try parameters.required("pg_payment_id")
        paymentStatus = try parameters.required("pg_payment_status")
        failureCode = parameters.value("pg_failure_code")
    }
}

/// `make_recurring_payment.php` answer.
public struct RecurringPaymentResponse: Sendable, Equatable {
    public var paymentID: String
    public var amount: String
    public var currency: String
    public var recurringProfile: String
    public var recurringProfileExpiryDate: String?

    public init(parameters: [PGParameter]) throws(PGWireError) {
        paymentID = try parameters.required("pg_payment_id")
        amount = try parameters.required("pg_amount")
        currency = try parameters.required("pg_currency")
        recurringProfile = try parameters.required("pg_recurring_profile")
        recurringProfileExpiryDate = parameters.value("pg_recurring_profile_expiry_date")
    }
}
