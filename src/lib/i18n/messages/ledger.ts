// Messages of the payment ledger's endpoints (src/lib/server/money): what the server answers when
// it refuses a payment, a void or an instalment. The deal page's own labels live with its
// components' messages.
export const vi = {
	'ledger.error.invalid': 'Dữ liệu gửi lên không hợp lệ. Vui lòng tải lại trang và thử lại.',
	'ledger.error.amount': 'Nhập số tiền lớn hơn 0, tính bằng đồng.',
	'ledger.error.amountMax': 'Số tiền quá lớn.',
	'ledger.error.date': 'Ngày không hợp lệ (dạng ngày/tháng/năm).',
	'ledger.error.method': 'Chọn phương thức thanh toán.',
	'ledger.error.reference': 'Số tham chiếu tối đa {max} ký tự.',
	'ledger.error.note': 'Ghi chú tối đa {max} ký tự.',
	'ledger.error.reason': 'Nhập lý do huỷ thanh toán.',
	'ledger.error.reasonMax': 'Lý do tối đa {max} ký tự.',
	'ledger.error.key': 'Yêu cầu thiếu mã chống gửi trùng. Vui lòng tải lại trang.',
	'ledger.error.contract': 'Hợp đồng không thuộc giao dịch này.',
	'ledger.error.not_found': 'Không tìm thấy giao dịch hoặc khoản thanh toán.',
	'ledger.error.forbidden': 'Bạn không có quyền ghi nhận thanh toán cho giao dịch này.',
	'ledger.error.overpayment':
		'Số tiền vượt giá trị giao dịch: giá trị {value}, đã thu {paid}, chỉ còn {remaining}. Nếu khách trả dư, hãy đánh dấu “Ghi nhận là thanh toán vượt”.',
	'ledger.error.idempotency_mismatch':
		'Yêu cầu này đã được gửi trước đó với nội dung khác. Vui lòng tải lại trang và nhập lại.',
	'ledger.error.already_voided': 'Khoản thanh toán này đã được huỷ trước đó.',
	'ledger.error.contract_not_found': 'Hợp đồng không thuộc giao dịch này.',
	'ledger.error.instalment_not_found': 'Không tìm thấy đợt thanh toán này (có thể đã bị xoá).'
};

export const en: Record<keyof typeof vi, string> = {
	'ledger.error.invalid': 'The request was not valid. Please reload the page and try again.',
	'ledger.error.amount': 'Enter an amount above 0, in đồng.',
	'ledger.error.amountMax': 'The amount is too large.',
	'ledger.error.date': 'The date is not valid.',
	'ledger.error.method': 'Choose a payment method.',
	'ledger.error.reference': 'The reference may be at most {max} characters.',
	'ledger.error.note': 'The note may be at most {max} characters.',
	'ledger.error.reason': 'Give a reason for voiding the payment.',
	'ledger.error.reasonMax': 'The reason may be at most {max} characters.',
	'ledger.error.key': 'The request has no duplicate-protection key. Please reload the page.',
	'ledger.error.contract': 'That contract does not belong to this deal.',
	'ledger.error.not_found': 'The deal or payment was not found.',
	'ledger.error.forbidden': 'You may not record payments for this deal.',
	'ledger.error.overpayment':
		'The amount exceeds the deal’s value: value {value}, paid {paid}, only {remaining} remains. If the customer paid more, tick “Record as an overpayment”.',
	'ledger.error.idempotency_mismatch':
		'This request was already sent with different content. Please reload the page and enter it again.',
	'ledger.error.already_voided': 'This payment was already voided.',
	'ledger.error.contract_not_found': 'That contract does not belong to this deal.',
	'ledger.error.instalment_not_found': 'That instalment was not found (it may have been removed).'
};
