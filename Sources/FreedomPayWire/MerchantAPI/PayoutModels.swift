/// Wire models of the Payout endpoints (merchant-api.md §3.13–§3.20), named after the docs. Requests render to
/// the ordered parameter list that is signed and form-encoded; answers are read from the verified XML.

/// `/api/reg2reg` request (§3.15): a payout to a saved payout card.
public struct Reg2RegRequest: Sendable, Equatable {
    public var orderID: String
    public var amount: String
    public var description: String
    /// `Y-m-d H:i:s`.
    public var orderTimeLimit: String
    public var userID: String
    public var postLink: String
    public var cardTokenTo: String

    public init(orderID: String, amount: String, description: String, orderTimeLimit: String, userID: String, postLink: String, cardTokenTo: String) {
        self.orderID = orderID
        self.amount = amount
        self.description = description
        self.orderTimeLimit = orderTimeLimit
        self.userID = userID
        self.postLink = postLink
        self.cardTokenTo = cardTokenTo
    }

    public var parameters: [PGParameter] {
        [
            PGParameter("pg_order_id", orderID), PGParameter("pg_amount", amount), PGParameter("pg_description", description),
            PGParameter("pg_order_time_limit", orderTimeLimit), PGParameter("pg_user_id", userID),
            PGParameter("pg_post_link", postLink), PGParameter("pg_card_token_to", cardTokenTo),
        ]
    }
}

/// `/api/reg2reg` answer (§3.15).
public struct PayoutResponse: Sendable, Equatable {
    public var paymentID: String
    public var orderID: String
    /// The payout balance after the operation.
    public var balance: String
    public var cardHash: String?
    public var cardToken: String?
    public var paymentAmount: String
    /// Amount + fee taken from the balance.
    public var toPay: String?
    /// `success`, `error` or `process`.
    public var paymentStatus: String?
    public var paymentDate: String?

    public init(parameters: [PGParameter]) throws(PGWireError) {
        paymentID = try parameters.required("pg_payment_id")
        orderID = try parameters.required("pg_order_id")
        balance = try parameters.required("pg_balance")
        cardHash = parameters.value("pg_card_hash")
        cardToken = parameters.value("pg_card_token")
        paymentAmount = try parameters.required("pg_payment_amount")
        toPay = parameters.value("pg_to_pay")
        paymentStatus = parameters.value("pg_payment_status")
        paymentDate = parameters.value("pg_payment_date")
    }
}

/// `/api/balance_status` answer (§3.18).
public struct BalanceStatusResponse: Sendable, Equatable {
    public var balance: String
    public var currency: String

    public init(parameters: [PGParameter]) throws(PGWireError) {
        balance = try parameters.required("pg_balance")
        currency = try parameters.required("pg_currency")
    }
}

/// `/api/payment_status2` (and v1 `/api/payment_status`) answer (§3.20).
public struct PayoutStatusResponse: Sendable, Equatable {
    public var paymentID: String
    public var orderID: String
    /// v2: `success`, `error`, `process`; v1: `new`, `ok`, `failed`.
    public var paymentStatus: String
    public var amount: String?
    public var errorCode: String?

    public init(parameters: [PGParameter]) throws(PGWireError) {
        paymentID = try parameters.required("pg_payment_id")
        orderID = try parameters.required("pg_order_id")
        paymentStatus = try parameters.required("pg_payment_status")
        amount = parameters.value("pg_amount")
        errorCode = parameters.value("pg_error_code")
    }
}

/// `get_status2.php` answer (§3.19).
public struct OrderStatusResponse: Sendable, Equatable {
    public var paymentID: String
    /// `partial`, `pending`, `ok`, `failed`.
    public var transactionStatus: String
    public var createDate: String?

    public init(parameters: [PGParameter]) throws(PGWireError) {
        paymentID = try parameters.required("pg_payment_id")
        transactionStatus = try parameters.required("pg_transaction_status")
        createDate = parameters.value("pg_create_date")
    }
}

/// `/api/reg2nonreg` request (§3.16): a payout to a card the recipient enters on the page of the answer.
public struct Reg2NonRegRequest: Sendable, Equatable {
    public var orderID: String
    public var amount: String
    public var description: String
    /// `Y-m-d H:i:s`.
    public var orderTimeLimit: String
    public var postLink: String
    public var backLink: String
    public var userID: String?

    public init(orderID: String, amount: String, description: String, orderTimeLimit: String, postLink: String, backLink: String, userID: String? = nil) {
        self.orderID = orderID
        self.amount = amount
        self.description = description
        self.orderTimeLimit = orderTimeLimit
        self.postLink = postLink
        self.backLink = backLink
        self.userID = userID
    }

    public var parameters: [PGParameter] {
        var out = [
            PGParameter("pg_order_id", orderID), PGParameter("pg_amount", amount), PGParameter("pg_description", description),
            PGParameter("pg_order_time_limit", orderTimeLimit), PGParameter("pg_post_link", postLink), PGParameter("pg_back_link", backLink),
        ]
        out.append("pg_user_id", userID)
        return out
    }
}

/// `/api/reg2nonreg` answer: send the recipient to `redirectURL`.
public struct Reg2NonRegResponse: Sendable, Equatable {
    public var paymentID: String
    public var redirectURL: String

    public init(parameters: [PGParameter]) throws(PGWireError) {
        paymentID = try parameters.required("pg_payment_id")
        redirectURL = try parameters.required("pg_redirect_url")
    }
}
