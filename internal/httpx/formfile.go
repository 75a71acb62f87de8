package httpx

import (
	"mime/multipart"
	"net/http"
)

// FormFile opens the uploaded file of field. A multipart body no middleware
// parsed yet is parsed here (up to maxMemory bytes held in memory, the rest
// in temporary files, which net/http removes when the handler returns) and
// its text checked as CheckForm does. A body over the route's limit is
// TooLarge's error; no file, or a body that is not multipart, is missing.
func FormFile(r *http.Request, field string, maxMemory int64, missing error) (multipart.File, *multipart.FileHeader, error) {
	if r.MultipartForm == nil {
		if err := r.ParseMultipartForm(maxMemory); err != nil {
			return nil, nil, uploadError(err, missing)
		}
		if err := CheckForm(r); err != nil {
			return nil, nil, err
		}
	}
	file, header, err := r.FormFile(field)
	if err != nil {
		return nil, nil, uploadError(err, missing)
	}
	return file, header, nil
}

// uploadError is TooLarge's error for a body over the limit, else missing.
func uploadError(err, missing error) error {
	if e, ok := TooLarge(err); ok {
		return e
	}
	return missing
}
