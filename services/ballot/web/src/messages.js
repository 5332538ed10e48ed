// Vietnamese (first) and English (second) messages of the voter page: code format help and
// one message for every problem+json the cast route can return, plus network failures.
// Pure functions, no DOM and no crypto: tested by test/messages.test.mjs.

export const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const SEPARATORS = /[-\s]/g;

/** A message: `vi` (shown large), `en` (small, secondary), optional `detail` (Vietnamese). */
function msg(vi, en, detail) {
  return detail ? { vi, en, detail } : { vi, en };
}

const quote = (s) => `“${s}”`;

// ------------------------------------------------------------------------------------------
// The one-time code (SPEC.md §6.1): 24 base58 characters, printed as six groups of four.
// ------------------------------------------------------------------------------------------

/**
 * The first problem with the code's shape (everything except the checksum, which needs the
 * crypto), or null. `raw` is what the voter typed.
 */
export function codeShapeProblem(raw) {
  const c = String(raw ?? '').replace(SEPARATORS, '');
  if (c.length === 0) {
    return msg('Hãy nhập mã bỏ phiếu.', 'Enter your voting code.');
  }
  const chars = [...c];
  const accented = chars.filter((ch) => /\p{L}/u.test(ch) && !/[A-Za-z]/.test(ch));
  if (accented.length > 0) {
    return msg(
      `Mã có ký tự có dấu ${quote([...new Set(accented)].join(' '))}.`,
      'The code contains accented letters.',
      'Mã chỉ gồm chữ cái Latinh không dấu và chữ số. Hãy tắt bộ gõ tiếng Việt ' +
        '(Unikey, EVKey, Telex/VNI) rồi nhập lại mã.',
    );
  }
  const bad = [...new Set(chars.filter((ch) => !BASE58.includes(ch)))];
  if (bad.length > 0) {
    return msg(
      `Mã có ký tự không hợp lệ: ${bad.map(quote).join(', ')}.`,
      'The code contains characters that never occur in codes.',
      'Mã chỉ gồm chữ số 1–9 và chữ cái Latinh; không bao giờ có số 0, chữ O hoa, ' +
        'chữ I hoa và chữ l thường.',
    );
  }
  if (c.length !== 24) {
    return msg(
      `Mã phải có đúng 24 ký tự (không tính dấu gạch nối); bạn đã nhập ${c.length}.`,
      `The code has 24 characters; you entered ${c.length}.`,
      'Mã in trong phong bì gồm 6 nhóm, mỗi nhóm 4 ký tự.',
    );
  }
  return null;
}

/** The checksum did not match (ballot.credential_code_invalid from the crypto). */
export const CODE_CHECKSUM = msg(
  'Mã bỏ phiếu không đúng: có thể đã gõ nhầm một ký tự.',
  'The code is mistyped (its check characters do not match).',
  'Hãy so lại từng nhóm 4 ký tự với mã in trong phong bì; chú ý chữ hoa và chữ thường ' +
    '(ví dụ “k” và “K”).',
);

/** Printed form of a code once valid: six groups of four. */
export function groupCode(c) {
  return c.replace(SEPARATORS, '').match(/.{1,4}/g).join('-');
}

// ------------------------------------------------------------------------------------------
// Form checks
// ------------------------------------------------------------------------------------------

export function missingChoice(name) {
  return msg(
    `Chưa chọn mức cho ${name}.`,
    'Choose one level for every person.',
    'Mỗi người được lấy phiếu phải được chọn đúng một ô.',
  );
}

export const CRYPTO_NOT_READY = msg(
  'Chưa tải xong thư viện mã hóa.',
  'The encryption library did not load.',
  'Hãy tải lại trang. Nếu vẫn lỗi, trình duyệt có thể quá cũ (cần hỗ trợ WebAssembly).',
);

export const SELF_CHECK_FAILED = msg(
  'Phiếu tạo trên máy bạn không vượt qua bước tự kiểm tra.',
  'The ballot made on this device failed its own check.',
  'Phiếu chưa được gửi. Hãy tải lại trang và thử lại; nếu vẫn lỗi, báo tổ kiểm phiếu.',
);

// ------------------------------------------------------------------------------------------
// Time (Vietnam has no daylight saving: UTC+7 all year)
// ------------------------------------------------------------------------------------------

const pad = (n) => String(n).padStart(2, '0');

/** "08:00 ngày 04/12/2026" in Vietnam time, from an ISO 8601 string; '' if unparsable. */
export function vnTime(iso) {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  const d = new Date(t + 7 * 3600 * 1000);
  return (
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} ngày ` +
    `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`
  );
}

// ------------------------------------------------------------------------------------------
// Problems returned by POST …/ballots (application/problem+json, see entrypoints/api/errors.py)
// ------------------------------------------------------------------------------------------

const NOT_RECORDED = 'Phiếu chưa được ghi nhận.';

const CRYPTO_CODES = new Set([
  'ballot.non_canonical_encoding',
  'ballot.identity_point',
  'ballot.malformed',
  'ballot.invalid_parameter',
  'ballot.wrong_election',
  'ballot.wrong_question_count',
  'ballot.wrong_option_count',
  'ballot.proof_invalid',
  'ballot.signature_invalid',
]);

const STATUS_WORDS = {
  setup: 'chưa mở',
  closed: 'đã kết thúc',
  decrypted: 'đã kết thúc và đã có kết quả',
};

/**
 * The message for a problem+json body (`p`, possibly null) with HTTP `status`.
 * `p.instance` (the request id) is added so the voter can report it.
 */
export function problemMessage(status, p) {
  const code = p && typeof p.code === 'string' ? p.code : '';
  const ref = p && typeof p.instance === 'string' ? ` Mã yêu cầu: ${p.instance}.` : '';
  switch (code) {
    case 'ballot.unknown_credential':
      return msg(
        'Mã bỏ phiếu không có trong danh sách của cuộc bỏ phiếu này.',
        'This code is not on the list of this election.',
        `${NOT_RECORDED} Hãy kiểm tra mã trong phong bì (đúng cuộc bỏ phiếu này, đúng chữ ` +
          'hoa và chữ thường). Nếu chắc chắn mã đúng, hãy báo tổ kiểm phiếu.',
      );
    case 'ballot.outside_window': {
      const from = vnTime(p.opens_at);
      const to = vnTime(p.closes_at);
      const when = from && to ? ` Thời gian nhận phiếu: từ ${from} đến trước ${to} (giờ Việt Nam).` : '';
      return msg('Ngoài thời gian bỏ phiếu.', 'Outside the voting period.', NOT_RECORDED + when);
    }
    case 'ballot.wrong_state': {
      const s = STATUS_WORDS[p.election_status] || 'không ở giai đoạn nhận phiếu';
      return msg(
        `Cuộc bỏ phiếu hiện không nhận phiếu (${s}).`,
        'The election is not accepting ballots now.',
        NOT_RECORDED,
      );
    }
    case 'ballot.election_not_found':
      return msg(
        'Không tìm thấy cuộc bỏ phiếu này.',
        'Election not found.',
        `${NOT_RECORDED} Hãy kiểm tra lại đường dẫn được thông báo.`,
      );
    case 'ballot.replay':
      return msg(
        'Phiếu này đã có trên bảng công khai.',
        'This exact ballot is already on the board.',
        'Không có gì được ghi thêm. Mã theo dõi bên dưới vẫn tra cứu được.',
      );
    case 'ballot.audited':
      return msg(
        'Phiếu này đã được mở để kiểm tra nên không bao giờ được bỏ.',
        'This ballot was audited: it can never be cast.',
        `${NOT_RECORDED} Hãy bấm “Mã hóa lại” để tạo phiếu mới rồi bỏ phiếu.`,
      );
    case 'ballot.already_cast':
      return msg(
        'Phiếu này đã được gửi nên không thể mở để kiểm tra.',
        'This ballot was cast: it cannot be audited.',
        'Mở phiếu đã bỏ sẽ làm lộ lựa chọn của một phiếu được tính. Phiếu của bạn vẫn được ' +
          'ghi nhận như đã gửi.',
      );
    case 'ballot.audit_invalid':
      return msg(
        'Kiểm tra thất bại: bản mã không chứa đúng lựa chọn đã hiển thị.',
        'Audit failed: the encryption does not hold the choices shown.',
        'Đừng bỏ phiếu trên thiết bị này. Hãy lưu tệp kiểm tra và báo ngay cho tổ kiểm phiếu.',
      );
    case 'ballot.duplicate_ciphertext':
      return msg(
        'Phiếu bị từ chối vì trùng bản mã với một phiếu khác.',
        'Rejected: ciphertext copied from another ballot.',
        `${NOT_RECORDED} Hãy tải lại trang rồi bỏ phiếu lại.`,
      );
    case 'service.unavailable':
    case 'request.conflict':
      return msg(
        'Máy chủ tạm thời bận.',
        'The server is busy; try again.',
        `${NOT_RECORDED} Hãy bấm gửi lại sau ít giây.${ref}`,
      );
    case 'internal':
      return msg(
        'Lỗi hệ thống phía máy chủ.',
        'Server error.',
        'Phiếu có thể chưa được ghi nhận. Hãy gửi lại (nếu phiếu trước đã được ghi, phiếu mới ' +
          `sẽ thay thế nó). Nếu vẫn lỗi, hãy báo tổ kiểm phiếu.${ref}`,
      );
    default:
      break;
  }
  if (CRYPTO_CODES.has(code)) {
    return msg(
      'Máy chủ từ chối phiếu vì kiểm tra mật mã không đạt.',
      'The server rejected the ballot: a cryptographic check failed.',
      `${NOT_RECORDED} Có thể trang đã cũ. Hãy tải lại trang rồi bỏ phiếu lại ` +
        `(mã lỗi ${code}).${ref}`,
    );
  }
  if (status === 413 || status === 415 || status === 422 || status === 400) {
    return msg(
      'Máy chủ không nhận dạng được phiếu gửi lên.',
      'The server could not read the ballot.',
      `${NOT_RECORDED} Hãy tải lại trang rồi bỏ phiếu lại${code ? ` (mã lỗi ${code})` : ''}.${ref}`,
    );
  }
  if (status === 429 || status === 502 || status === 503 || status === 504) {
    return msg(
      'Máy chủ tạm thời bận hoặc đang bảo trì.',
      'The server is busy or under maintenance.',
      `${NOT_RECORDED} Hãy bấm gửi lại sau ít giây.${ref}`,
    );
  }
  const title = p && typeof p.title === 'string' ? p.title : `Lỗi HTTP ${status}`;
  return msg(
    `Phiếu không được chấp nhận: ${title}.`,
    p && typeof p.title_en === 'string' ? p.title_en : `HTTP ${status}`,
    `${NOT_RECORDED}${code ? ` Mã lỗi ${code}.` : ''}${ref}`,
  );
}

/** fetch() itself failed: the ballot may or may not have reached the server. */
export function networkMessage(trackerGrouped) {
  return msg(
    'Không kết nối được với máy chủ.',
    'Network error: could not reach the server.',
    'Chưa chắc phiếu đã tới máy chủ. Hãy kiểm tra kết nối rồi bấm gửi lại: gửi lại không tạo ' +
      'thêm phiếu, phiếu sau cùng thay thế phiếu trước. ' +
      (trackerGrouped ? `Mã theo dõi của phiếu vừa tạo: ${trackerGrouped}.` : ''),
  );
}

/** The server answered 201 but with another tracker than the one computed here. */
export const TRACKER_MISMATCH = msg(
  'Cảnh báo: mã theo dõi máy chủ trả về khác mã tính trên máy bạn.',
  'Warning: the server returned a different tracker.',
  'Hãy ghi lại cả hai mã và báo ngay cho tổ kiểm phiếu.',
);

export function lookupMessage(found) {
  if (found.counted) {
    return msg(
      `Phiếu có trên bảng công khai (số thứ tự ${found.seq}) và đang được tính.`,
      'On the public board and counted.',
    );
  }
  return msg(
    `Phiếu có trên bảng công khai (số thứ tự ${found.seq}) nhưng đã được thay bằng một phiếu sau.`,
    'On the public board, replaced by a later ballot.',
  );
}

export const LOOKUP_NOT_FOUND = msg(
  'Không tìm thấy mã theo dõi này trên bảng công khai.',
  'Tracker not found on the public board.',
  'Hãy báo ngay cho tổ kiểm phiếu, kèm mã theo dõi.',
);

/** 64 hex digits → 16 groups of four separated by spaces. */
export function groupHex(h) {
  return (h.match(/.{1,4}/g) || []).join(' ');
}

/** The manifest does not hash to the fingerprint shown, or K ≠ Σ C_i0: voting is blocked. */
export const MANIFEST_MISMATCH = msg(
  'Dấu vân tay không khớp với bộ thông số của cuộc bỏ phiếu. Đừng bỏ phiếu.',
  'The fingerprint does not match the election parameters. Do not vote.',
  'Trình duyệt của bạn đã tính lại dấu vân tay và khóa mã hóa từ bộ thông số công khai và ' +
    'thấy sai khác. Hãy báo ngay cho tổ kiểm phiếu.',
);

/** A resend of the very same ballot found it already on the board: it had arrived. */
export const ARRIVED_EARLIER = msg(
  'Phiếu này đã tới máy chủ từ lần gửi trước (khi kết nối bị gián đoạn).',
  'This ballot had already arrived on the previous attempt.',
  'Không có phiếu nào bị ghi hai lần.',
);

// ------------------------------------------------------------------------------------------
// Cast-as-intended: audit instead of casting (Benaloh challenge, SPEC.md §9.4)
// ------------------------------------------------------------------------------------------

/** The page's own opening of the audited ballot did not give the choices shown. */
export const AUDIT_SELF_CHECK_FAILED = msg(
  'Kiểm tra thất bại: bản mã không chứa đúng lựa chọn đã hiển thị.',
  'Audit failed: the encryption does not hold the choices shown.',
  'Đừng bỏ phiếu trên thiết bị này. Hãy báo ngay cho tổ kiểm phiếu.',
);

/** The voter asked to audit a ballot that was already sent once (it may be on the board). */
export const AUDIT_AFTER_SEND = msg(
  'Phiếu này đã được gửi đi nên không thể kiểm tra nữa.',
  'This ballot was already sent: it can no longer be audited.',
  'Mở một phiếu có thể đã được tính sẽ làm lộ lựa chọn. Hãy bấm “Bỏ phiếu này” để gửi lại, ' +
    'hoặc đổi lựa chọn để tạo phiếu mới.',
);

/** After a successful audit: the audited ballot is spoiled, the voter encrypts afresh. */
export const AUDIT_DONE = msg(
  'Phiếu kiểm tra đã được ghi nhận là phiếu hủy: nó không bao giờ được tính.',
  'The audited ballot is recorded as spoiled: it will never count.',
  'Phiếu kiểm tra (không kèm mã bỏ phiếu của bạn) sẽ được công bố trên bảng công khai khi ' +
    'kết thúc bỏ phiếu. Hãy bấm “Mã hóa lại để bỏ phiếu” để tạo phiếu mới với số ngẫu nhiên mới.',
);
