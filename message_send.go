package userpool

import (
	"context"
	"html"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/userpool/userpool/storage"
)

// The events a message is sent for, as Message.Event and, prefixed with
// "CustomMessage_", as the CustomMessage trigger's source.
const (
	eventSignUp              = "SignUp"
	eventAdminCreateUser     = "AdminCreateUser"
	eventResendCode          = "ResendCode"
	eventForgotPassword      = "ForgotPassword"
	eventUpdateUserAttribute = "UpdateUserAttribute"
	eventVerifyUserAttribute = "VerifyUserAttribute"
	eventAuthentication      = "Authentication"
)

// The placeholders of message templates.
const (
	codePlaceholder     = "{####}"
	usernamePlaceholder = "{username}"
)

// Limits of rendered texts, as Cognito's (cognito.md §2.5).
const (
	maxSMSLength     = 140
	maxEmailLength   = 20000
	maxSubjectLength = 140
)

// outgoing is one message about to be rendered and sent.
type outgoing struct {
	event string
	to    destination
	// code is the code or temporary password the message carries.
	code string
	// user is the user the message is about, for the trigger and for
	// {username}; signInName is what {username} shows (the name the user
	// signs in with).
	user       storage.User
	signInName string
	clientID   string
	metadata   map[string]string
}

// byLink reports whether m confirms an email address by link rather than
// by code: only sign-up confirmations do, when the pool says so.
func (p *Pool) byLink(m outgoing) bool {
	return m.to.channel == ChannelEmail && p.cfg.Verification.DefaultEmailOption == ConfirmWithLink &&
		(m.event == eventSignUp || m.event == eventResendCode)
}

// templates returns the pool's texts for m: the invitation for users made
// by an administrator, the verification message otherwise (Cognito sends
// password-reset codes with it too).
func (p *Pool) templates(m outgoing) (sms, subject, body string) {
	if m.event == eventAuthentication {
		t := p.cfg.MFA
		return t.SMSMessage, t.EmailSubject, t.EmailMessage
	}
	if m.event == eventAdminCreateUser {
		t := p.cfg.InviteMessage
		return t.SMSMessage, t.EmailSubject, t.EmailMessage
	}
	t := p.cfg.Verification
	if p.byLink(m) {
		return t.SMSMessage, t.EmailSubjectByLink, t.EmailMessageByLink
	}
	return t.SMSMessage, t.EmailSubject, t.EmailMessage
}

// send renders m and hands it to the pool's Sender. The CustomMessage
// trigger, if set, sees the pool's templates (placeholders unreplaced) and
// may replace them; a replacement that drops the code (or, for
// invitations, the user name) placeholder or is too long is refused with
// InvalidLambdaResponse. A Sender error gives CodeDeliveryFailure; the
// caller decides what that undoes.
func (p *Pool) send(ctx context.Context, m outgoing) error {
	sms, subject, body := p.templates(m)
	link := p.byLink(m)
	if fn := p.triggers.CustomMessage; fn != nil {
		ev := &CustomMessageEvent{
			TriggerRequest: p.triggerRequest("CustomMessage_"+m.event, m.clientID, m.user, m.metadata),
			CodeParameter:  codePlaceholder,
			SMSMessage:     sms,
			EmailSubject:   subject,
			EmailMessage:   body,
		}
		if m.event == eventAdminCreateUser {
			ev.UsernameParameter = usernamePlaceholder
		}
		if err := callTrigger(ctx, "CustomMessage", func(ctx context.Context) error { return fn(ctx, ev) }); err != nil {
			return err
		}
		mergeStrings(&sms, ev.SMSMessage)
		mergeStrings(&subject, ev.EmailSubject)
		mergeStrings(&body, ev.EmailMessage)
		if err := checkCustomMessage(m, link, sms, subject, body); err != nil {
			return err
		}
	}
	text := body
	if m.to.channel == ChannelSMS {
		text, subject = sms, ""
	}
	text = strings.ReplaceAll(text, usernamePlaceholder, m.signInName)
	text = strings.ReplaceAll(text, codePlaceholder, m.code)
	if link {
		text = p.renderLink(text, m)
	}
	msg := Message{
		Channel:  m.to.channel,
		To:       m.to.value,
		Subject:  subject,
		Body:     text,
		Code:     m.code,
		Username: m.user.Username,
		PoolID:   p.id,
		Event:    m.event,
	}
	if m.to.channel == ChannelEmail {
		msg.From, msg.ReplyTo = p.cfg.Email.From, p.cfg.Email.ReplyTo
	}
	if err := p.sender.Send(ctx, msg); err != nil {
		p.log.Warn("userpool: message not delivered", "event", m.event, "channel", string(m.to.channel), "err", err)
		return ErrCodeDeliveryFailure.Wrap(err, "Unable to deliver the message to %s.", mask(m.to.channel, m.to.value))
	}
	return nil
}

// checkCustomMessage checks the texts a CustomMessage trigger returned
// for the channel the message goes by.
func checkCustomMessage(m outgoing, link bool, sms, subject, body string) error {
	bad := func(format string, args ...any) error {
		return ErrInvalidLambdaResponse.With("Invalid CustomMessage response: "+format, args...)
	}
	text, max := body, maxEmailLength
	if m.to.channel == ChannelSMS {
		text, max = sms, maxSMSLength
	} else if utf8.RuneCountInString(subject) > maxSubjectLength {
		return bad("the email subject is longer than %d characters.", maxSubjectLength)
	}
	if utf8.RuneCountInString(text) > max {
		return bad("the message is longer than %d characters.", max)
	}
	switch {
	case link && !strings.Contains(text, codePlaceholder) && !linkPlaceholder.MatchString(text):
		return bad("the message must contain %s or a link placeholder {##...##}.", codePlaceholder)
	case !link && !strings.Contains(text, codePlaceholder):
		return bad("the message must contain %s.", codePlaceholder)
	case m.event == eventAdminCreateUser && !strings.Contains(text, usernamePlaceholder):
		return bad("the message must contain %s.", usernamePlaceholder)
	}
	return nil
}

var linkText = regexp.MustCompile(`\{##([^#]+)##\}`)

// renderLink replaces each {##text##} with an HTML link to the pool's
// confirmation endpoint, as Cognito's link emails carry.
func (p *Pool) renderLink(text string, m outgoing) string {
	q := url.Values{}
	q.Set("client_id", m.clientID)
	q.Set("user_name", m.user.Username)
	q.Set("confirmation_code", m.code)
	href := strings.TrimSuffix(p.cfg.Verification.LinkBaseURL, "/") + "/confirmUser?" + q.Encode()
	return linkText.ReplaceAllStringFunc(text, func(s string) string {
		label := linkText.FindStringSubmatch(s)[1]
		return `<a href="` + html.EscapeString(href) + `">` + html.EscapeString(label) + `</a>`
	})
}
