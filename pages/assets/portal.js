document.getElementById('app').textContent = 'portal';
