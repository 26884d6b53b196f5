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
