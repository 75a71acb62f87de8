// Package certificate renders and signs 志愿服务证明 (volunteer service
// certificates) as the 志愿服务记录与证明出具办法 (art. 14–17) describes them:
// issued by the team that recorded the hours, stating who served, when, for
// how long and doing what, with the issuer, its person in charge, a contact
// and the date.
//
// The package is pure: it takes a filled [Data] and returns bytes. Render
// lays out an A4 PDF in Chinese with the embedded WenQuanYi Micro Hei font
// (see tools/certfont), a record table that runs onto further pages, and a
// QR code pointing at the verification URL. A [Signer] signs the canonical
// [Payload] of the data with Ed25519; the signature and the key id are
// printed in the footer of every page and stored in the PDF's Subject, so a
// holder of the PDF and the platform's public key can check it offline.
package certificate
