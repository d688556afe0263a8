package cognitoapi

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"time"
)

// epochSeconds is a time on the wire: a JSON number of seconds since the
// epoch, with millisecond precision, as Cognito sends timestamps (the SDKs
// reject ISO strings). Use it with `json:",omitzero"` so an unknown time is
// omitted rather than sent as 0.
type epochSeconds time.Time

// MarshalJSON writes seconds with up to three decimals.
func (t epochSeconds) MarshalJSON() ([]byte, error) {
	ms := time.Time(t).UnixMilli()
	return strconv.AppendFloat(nil, float64(ms)/1000, 'f', -1, 64), nil
}

// UnmarshalJSON reads a number of seconds, fractional or not.
func (t *epochSeconds) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	var f float64
	if err := json.Unmarshal(b, &f); err != nil {
		return err
	}
	if math.IsNaN(f) || math.Abs(f) > 1e11 {
		return fmt.Errorf("timestamp %v is out of range", f)
	}
	sec, frac := math.Modf(f)
	*t = epochSeconds(time.Unix(int64(sec), int64(math.Round(frac*1e3))*1e6).UTC())
	return nil
}

// IsZero makes omitzero omit an unset time.
func (t epochSeconds) IsZero() bool { return time.Time(t).IsZero() }

func epoch(t time.Time) epochSeconds { return epochSeconds(t) }
