// Passkeys on mamori's pages: hands the buttons to django-allauth's bundled WebAuthn
// script (mfa/js/webauthn.js), since the Content-Security-Policy allows no inline script.
document.addEventListener('DOMContentLoaded', function () {
  const forms = window.allauth && window.allauth.webauthn && window.allauth.webauthn.forms
  if (!forms) return
  const error = document.getElementById('passkey-error')
  document.addEventListener('allauth.error', function (event) {
    if (error) {
      error.hidden = false
      event.preventDefault()
    }
  })
  if (document.getElementById('passkey-add')) {
    forms.addForm({ ids: { add: 'passkey-add', credential: 'id_credential', data: 'passkey-data' } })
  }
  if (document.getElementById('passkey-authenticate')) {
    forms.authenticateForm({
      ids: { authenticate: 'passkey-authenticate', credential: 'id_credential', data: 'passkey-data' }
    })
  }
})
