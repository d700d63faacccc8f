// A little progressive enhancement; every page works without it.
(function () {
  'use strict';
  // Uploads show their progress (forms marked data-upload); the server's answer (a
  // redirect to the page with its outcome) is followed as a normal submission would be.
  document.querySelectorAll('form[data-upload]').forEach(function (form) {
    form.addEventListener('submit', function (event) {
      if (!window.XMLHttpRequest || !window.FormData) return;
      event.preventDefault();
      var progress = form.querySelector('progress');
      var status = form.querySelector('[data-upload-status]');
      if (progress) { progress.hidden = false; progress.value = 0; }
      var request = new XMLHttpRequest();
      request.open('POST', form.action);
      request.upload.addEventListener('progress', function (e) {
        if (e.lengthComputable && progress) progress.value = Math.round((e.loaded / e.total) * 100);
        if (status && e.lengthComputable) status.textContent = Math.round((e.loaded / e.total) * 100) + ' %';
      });
      request.addEventListener('load', function () {
        // An error page (an expired form, an application gone) is shown as it came: its
        // address is the form's, which a browser cannot open again.
        if (request.status >= 400) {
          document.open();
          document.write(request.responseText);
          document.close();
          return;
        }
        window.location.href = request.responseURL || form.action;
      });
      request.addEventListener('error', function () { form.submit(); });
      request.send(new FormData(form));
    });
  });
})();
